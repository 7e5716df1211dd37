package dev.referralledger.core.referral;

/** REFERRAL_CONTACTED. */
public record ReferralContacted(String referralId, String tenantId, String note) {
}
