package dev.referralledger.core.referral;

/** REFERRAL_QUALIFIED. */
public record ReferralQualified(String referralId, String tenantId, String note) {
}
