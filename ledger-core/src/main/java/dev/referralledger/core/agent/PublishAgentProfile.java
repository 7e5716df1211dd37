package dev.referralledger.core.agent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Opens the agent's public profile: its slug starts taking referrals from the public form. */
public record PublishAgentProfile(@TargetAggregateIdentifier String agentId, String tenantId) {
}
