package dev.referralledger.core.reward;

/** REFERRER_THANKED: the recipient consented to thanks on {@code channel} (EMAIL or SMS) and was thanked. */
public record ReferrerThanked(String rewardId, String tenantId, String personId, String channel) {
}
