package dev.referralledger.core.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The reward's conversion was reversed in full (sent by the reward policy saga): voided when not sent yet,
 * clawed back when it was.
 */
public record ReverseReward(@TargetAggregateIdentifier String rewardId, String tenantId, String reason) {
}
