package dev.referralledger.core.reward;

/** What a reward is paid in. */
public enum RewardType {
    GIFT_CARD, COMMISSION_SHARE, COUPON, CASH, CREDIT
}
