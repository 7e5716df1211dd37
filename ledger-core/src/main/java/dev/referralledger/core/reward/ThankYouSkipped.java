package dev.referralledger.core.reward;

/** THANK_YOU_SKIPPED: no thanks were sent, and why (e.g. NO_CONSENT). */
public record ThankYouSkipped(String rewardId, String tenantId, String personId, String reason) {
}
