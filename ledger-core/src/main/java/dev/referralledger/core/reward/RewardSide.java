package dev.referralledger.core.reward;

/** Who a reward is for: the advocate (referrer), the referred person, or the advocate for reaching a milestone. */
public enum RewardSide {
    REFERRER, REFERRED, MILESTONE
}
