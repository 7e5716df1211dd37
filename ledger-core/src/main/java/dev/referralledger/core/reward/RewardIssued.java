package dev.referralledger.core.reward;

import dev.referralledger.core.rules.Money;

import java.time.Instant;

/**
 * REWARD_ISSUED: a reward was promised, HELD until {@code heldUntil} (the end of the refund window).
 *
 * @param recipientId   the person who gets it: the advocate, or the referred person for a REFERRED reward
 * @param policyVersion the program's reward policy version that produced it; null for a reward issued by hand
 */
public record RewardIssued(String rewardId, String tenantId, String referralId, String programId, String advocateId,
                           String recipientId, RewardSide side, RewardType type, Money amount, Integer policyVersion,
                           Instant heldUntil, String reason) {
}
