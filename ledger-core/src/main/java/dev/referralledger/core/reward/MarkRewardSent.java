package dev.referralledger.core.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A person fulfilled a READY reward outside the ledger. {@code thankYouChannel} (EMAIL or SMS) picks how the
 * recipient is thanked; null tries EMAIL, then SMS.
 */
public record MarkRewardSent(@TargetAggregateIdentifier String rewardId, String tenantId, String fulfilmentReference,
                             String thankYouChannel) {
}
