package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.Instant;

/** The referral produced a deal; {@code resultingDealId} ties it to revenue. */
public record MarkConverted(@TargetAggregateIdentifier String referralId, String tenantId, String resultingDealId,
                            BigDecimal dealValue, String currency, Instant closedAt) {
}
