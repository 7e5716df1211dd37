package dev.referralledger.core.referral;

/**
 * Where a referral stands in the pipeline. Open stages only move forward (skips allowed);
 * CONVERTED and LOST are final.
 */
public enum ReferralStatus {
    RECEIVED(0), CONTACTED(1), QUALIFIED(2), CONVERTED(3), LOST(3);

    private final int rank;

    ReferralStatus(int rank) {
        this.rank = rank;
    }

    public boolean isFinal() {
        return this == CONVERTED || this == LOST;
    }

    /** Forward moves between open stages and into a final stage; never backwards, never out of a final stage. */
    public boolean canMoveTo(ReferralStatus next) {
        if (isFinal()) {
            return false;
        }
        return next == LOST || next.rank > rank;
    }
}
