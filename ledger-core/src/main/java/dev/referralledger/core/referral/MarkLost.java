package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The referral will not convert. */
public record MarkLost(@TargetAggregateIdentifier String referralId, String tenantId, String reason) {
}
