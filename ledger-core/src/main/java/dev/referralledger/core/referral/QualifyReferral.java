package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The referred lead is a real prospect. */
public record QualifyReferral(@TargetAggregateIdentifier String referralId, String tenantId, String note) {
}
