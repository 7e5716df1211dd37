package dev.referralledger.core.reward;

/**
 * HELD (issued, inside the refund window) → READY (may be fulfilled) → SENT; or VOIDED before it was sent.
 * A SENT reward whose conversion is reversed stays SENT and records a clawback.
 */
public enum RewardStatus {
    HELD, READY, SENT, VOIDED
}
