package dev.referralledger.core.agent;

/**
 * Registers an agent (a person referrals are sent to) with a public profile slug. Fields arrive as sent and
 * are validated by the aggregate; a null {@code published} means not published yet.
 */
public record RegisterAgent(String agentId, String tenantId, String name, String email, String slug,
                            Boolean published) {
}
