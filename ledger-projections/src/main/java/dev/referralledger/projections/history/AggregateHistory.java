package dev.referralledger.projections.history;

/** Every event of one aggregate (a referral, ...) of the caller's tenant, oldest first. */
public record AggregateHistory(String tenantId, String aggregateId) {
}
