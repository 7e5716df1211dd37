package dev.referralledger.core.agent;

/** AGENT_PROFILE_PUBLISHED: the agent's public slug takes referrals. */
public record AgentProfilePublished(String agentId, String tenantId) {
}
