package dev.referralledger.projections.agent;

/**
 * A tenant's agents, newest first.
 *
 * @param published only published (true) or unpublished (false) profiles; null for all
 * @param cursor    the {@code nextCursor} of the previous page, or null
 */
public record ListAgents(String tenantId, Boolean published, int limit, Long cursor) {
}
