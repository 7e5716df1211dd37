package dev.referralledger.core.referral;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person's decision on a referral flagged REVIEW: {@code decision} is APPROVE or REJECT. */
public record ReviewReferral(@TargetAggregateIdentifier String referralId, String tenantId, String decision, String note) {
}
