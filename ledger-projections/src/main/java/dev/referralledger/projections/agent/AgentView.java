package dev.referralledger.projections.agent;

import java.time.Instant;

/**
 * An agent as the {@code agent_profile} projection knows it; the API answers with this shape.
 *
 * @param publicFormPath where the public referral form posts for this agent (answers 404 while unpublished)
 * @param publishedAt    when the profile was last published; null when it never was
 */
public record AgentView(String id, String name, String email, String slug, boolean published, String publicFormPath,
                        Instant registeredAt, Instant publishedAt, Instant updatedAt, long version) {
}
