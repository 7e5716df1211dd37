package dev.referralledger.projections.reward;

public record FindRewardPolicy(String tenantId, String programId) {
}
