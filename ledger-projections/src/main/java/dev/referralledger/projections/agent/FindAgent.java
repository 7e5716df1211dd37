package dev.referralledger.projections.agent;

/** One agent of a tenant; answers null when the tenant has no such agent. */
public record FindAgent(String tenantId, String agentId) {
}
