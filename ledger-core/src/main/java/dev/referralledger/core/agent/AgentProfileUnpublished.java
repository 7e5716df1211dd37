package dev.referralledger.core.agent;

/** AGENT_PROFILE_UNPUBLISHED: the agent's public slug answers 404 like an unknown one. */
public record AgentProfileUnpublished(String agentId, String tenantId) {
}
