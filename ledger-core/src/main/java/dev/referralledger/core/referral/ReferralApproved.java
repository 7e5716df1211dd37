package dev.referralledger.core.referral;

/** REFERRAL_APPROVED: a referral held for review may go on through the pipeline. */
public record ReferralApproved(String referralId, String tenantId, String note) {
}
