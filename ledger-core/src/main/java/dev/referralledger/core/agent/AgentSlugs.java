package dev.referralledger.core.agent;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;

import java.util.Locale;
import java.util.Optional;

/**
 * Public agent slugs in the command side's lookups: unique across all tenants (a public URL names no tenant),
 * owned by the agent, scoped to the agent's tenant, with "published" or "unpublished" as detail.
 */
public final class AgentSlugs {

    static final String PUBLISHED = "published";
    static final String UNPUBLISHED = "unpublished";

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
        if (slug == null || slug.isBlank() || slug.length() > 64) {
            return Optional.empty();
        }
        return lookups.find(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, slug.trim().toLowerCase(Locale.ROOT))
                .filter(e -> PUBLISHED.equals(e.detail()))
                .map(e -> new PublicAgent(e.ownerId(), e.scopeId()));
    }
}
