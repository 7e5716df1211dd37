package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Someone reached out to the referred person. */
public record ContactReferral(@TargetAggregateIdentifier String referralId, String tenantId, String note) {
}
