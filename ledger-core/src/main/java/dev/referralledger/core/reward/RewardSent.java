package dev.referralledger.core.reward;

import java.time.Instant;

/** REWARD_SENT: a person fulfilled the reward outside the ledger; {@code fulfilmentReference} says how (a gift-card code). */
public record RewardSent(String rewardId, String tenantId, String fulfilmentReference, Instant sentAt) {
}
