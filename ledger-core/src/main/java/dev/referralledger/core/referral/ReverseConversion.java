package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The converted deal was refunded, cancelled or charged back, in full ({@code amount} null) or in part.
 * {@code kind} is REFUND, CANCELLATION or CHARGEBACK.
 */
public record ReverseConversion(@TargetAggregateIdentifier String referralId, String tenantId, String kind,
                                BigDecimal amount, String currency, String reason, Instant reversedAt) {
}
