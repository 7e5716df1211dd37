package dev.referralledger.core.reward;

/** REWARD_VOIDED: the reward will not be paid (its conversion was reversed before sending, or a person rejected it). */
public record RewardVoided(String rewardId, String tenantId, String reason) {
}
