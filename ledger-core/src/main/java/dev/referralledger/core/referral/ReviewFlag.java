package dev.referralledger.core.referral;

/** Why a referral waits for a person's decision, and what they decided. */
public enum ReviewFlag {
    /** accepted, but held for review (e.g. the advocate exceeded the program's velocity limit) */
    REVIEW,
    APPROVED,
    REJECTED
}
