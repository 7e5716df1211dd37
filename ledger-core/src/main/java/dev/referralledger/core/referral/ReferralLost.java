package dev.referralledger.core.referral;

/** REFERRAL_LOST. */
public record ReferralLost(String referralId, String tenantId, String reason) {
}
