package dev.referralledger.core.agent;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Violations;

import java.util.Optional;

/**
 * Public agent slugs in the command side's lookups: unique across all tenants (a public URL names no tenant),
 * owned by the agent, scoped to the agent's tenant, with "published" or "unpublished" as detail.
 */
public final class AgentSlugs {

    static final String PUBLISHED = "published";
    static final String UNPUBLISHED = "unpublished";
    private static final FieldRules SLUGS = new FieldRules(null);

    /** Who a published slug belongs to. */
    public record PublicAgent(String agentId, String tenantId) {
    }

    private AgentSlugs() {
    }

    static String detail(boolean published) {
        return published ? PUBLISHED : UNPUBLISHED;
    }

    /**
     * The agent behind a published slug. An unknown slug and an unpublished one both give empty, so that
     * callers cannot tell them apart.
     */
    public static Optional<PublicAgent> published(Lookups lookups, String slug) {
        // what can never be a slug is not looked up (a NUL would not even reach the database)
        String normalized = SLUGS.slug(new Violations(), "slug", slug, true);
        if (normalized == null) {
            return Optional.empty();
        }
        return lookups.find(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, normalized)
                .filter(e -> PUBLISHED.equals(e.detail()))
                .map(e -> new PublicAgent(e.ownerId(), e.scopeId()));
    }
}
