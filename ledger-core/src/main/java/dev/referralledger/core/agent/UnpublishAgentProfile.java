package dev.referralledger.core.agent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes the agent's public profile; the slug stays the agent's, so nobody else can take it over. */
public record UnpublishAgentProfile(@TargetAggregateIdentifier String agentId, String tenantId) {
}
