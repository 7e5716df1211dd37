package dev.referralledger.projections.reward;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reward as {@code reward_queue} shows it.
 *
 * @param heldUntil the due date: HELD until then, READY after
 * @param thankYou  THANKED, SKIPPED_NO_CONSENT or SKIPPED_CONSENT_WITHDRAWN once sent; null before
 * @param version   the sequence number of the reward's latest event shown
 */
public record RewardView(String id, String status, String side, String type, BigDecimal amount, String currency,
                         String referralId, String programId, String advocateId, String recipientId,
                         Integer policyVersion, String reason, Instant heldUntil, Instant issuedAt, Instant readyAt,
                         Instant sentAt, String fulfilmentReference, String thankYou, String thankYouChannel,
                         Instant voidedAt, String voidReason, BigDecimal clawbackAmount, String clawbackReason,
                         Instant clawedBackAt, Instant updatedAt, long version) {
}
