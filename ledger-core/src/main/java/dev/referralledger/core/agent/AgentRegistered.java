package dev.referralledger.core.agent;

/** AGENT_REGISTERED: an agent with their (normalized) email and public slug, published or not. */
public record AgentRegistered(String agentId, String tenantId, String name, String email, String slug,
                              boolean published) {
}
