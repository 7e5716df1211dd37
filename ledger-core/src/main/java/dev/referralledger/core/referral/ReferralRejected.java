package dev.referralledger.core.referral;

/** REFERRAL_REJECTED: a referral held for review was refused; it is LOST and earns nothing. */
public record ReferralRejected(String referralId, String tenantId, String note) {
}
