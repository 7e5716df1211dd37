package dev.referralledger.core.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A person rejects a reward that was not sent yet. */
public record VoidReward(@TargetAggregateIdentifier String rewardId, String tenantId, String reason) {
}
