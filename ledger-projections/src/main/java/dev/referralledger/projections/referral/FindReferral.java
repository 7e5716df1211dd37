package dev.referralledger.projections.referral;

/** One referral of a tenant; answers null when the tenant has no such referral. */
public record FindReferral(String tenantId, String referralId) {
}
