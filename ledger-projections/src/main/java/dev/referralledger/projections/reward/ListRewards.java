package dev.referralledger.projections.reward;

/**
 * A tenant's rewards, the soonest due first (then by id). Every filter may be null.
 */
public record ListRewards(String tenantId, String status, String programId, String advocateId, String referralId,
                          int limit, int offset) {
}
