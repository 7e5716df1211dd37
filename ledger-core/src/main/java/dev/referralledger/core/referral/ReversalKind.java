package dev.referralledger.core.referral;

/** Why converted revenue went away. */
public enum ReversalKind {
    REFUND, CANCELLATION, CHARGEBACK
}
