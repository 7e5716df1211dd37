package dev.referralledger.projections.reward;

public record FindReward(String tenantId, String rewardId) {
}
