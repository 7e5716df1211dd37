package dev.referralledger.core.program;

/** A program takes referrals and impressions only while ACTIVE. ENDED is final. */
public enum ProgramStatus {
    ACTIVE, PAUSED, ENDED
}
