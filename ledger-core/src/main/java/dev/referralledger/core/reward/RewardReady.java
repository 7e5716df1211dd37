package dev.referralledger.core.reward;

/** REWARD_READY: the hold period ended without a reversal; the reward may be fulfilled. */
public record RewardReady(String rewardId, String tenantId) {
}
