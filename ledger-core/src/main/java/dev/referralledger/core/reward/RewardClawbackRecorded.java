package dev.referralledger.core.reward;

import dev.referralledger.core.rules.Money;

/**
 * REWARD_CLAWBACK_RECORDED: a reward already sent lost its conversion; {@code amount} is owed back. The sent
 * reward stays as it was: history is never edited.
 */
public record RewardClawbackRecorded(String rewardId, String tenantId, Money amount, String reason) {
}
