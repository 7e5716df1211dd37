package dev.referralledger.core.agent;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An agent: a person referrals are sent to, with a public profile slug that is published or not. The slug is
 * claimed across all tenants in the command side's lookups, in the command's transaction, and every publish or
 * unpublish refreshes the lookup's detail, which is what the public form reads.
 *
 * <p>Publish and unpublish answer the sequence number of the agent's latest event (for read-your-writes);
 * repeating the one that already happened emits nothing.</p>
 */
@Aggregate
public class Agent {

    @AggregateIdentifier
    private String agentId;
    private String tenantId;
    private String slug;
    private boolean published;
    private long lastSequence;

    protected Agent() {
        // for event sourcing
    }

    @CommandHandler
    public Agent(RegisterAgent cmd, FieldRules rules, Lookups lookups) {
        Violations v = new Violations();
        if (FieldRules.isBlank(cmd.tenantId())) {
            v.add("tenantId", "REQUIRED", "tenantId is required.");
        }
        String name = rules.text(v, "name", cmd.name(), FieldRules.MAX_NAME, true);
        String email = rules.email(v, "email", cmd.email(), true);
        String slug = rules.slug(v, "slug", cmd.slug(), true);
        v.throwIfAny();
        boolean publish = Boolean.TRUE.equals(cmd.published());
        Lookups.Entry held = lookups.claim(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, slug, cmd.agentId(),
                cmd.tenantId(), AgentSlugs.detail(publish), null);
        if (!held.claimedNow()) {
            Map<String, Object> details = new HashMap<>(Map.of("field", "slug"));
            // another tenant's agent is never named: ids do not leak across tenants
            if (cmd.tenantId().equals(held.scopeId())) {
                details.put("agentId", held.ownerId());
            }
            throw new ConflictException("SLUG_TAKEN", "The slug " + slug + " is already taken.", details);
        }
        apply(new AgentRegistered(cmd.agentId(), cmd.tenantId(), name, email, slug, publish));
    }

    @CommandHandler
    public long handle(PublishAgentProfile cmd, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (!published) {
            lookups.put(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, slug, agentId, tenantId, AgentSlugs.detail(true));
            apply(new AgentProfilePublished(agentId, tenantId));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(UnpublishAgentProfile cmd, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (published) {
            lookups.put(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, slug, agentId, tenantId, AgentSlugs.detail(false));
            apply(new AgentProfileUnpublished(agentId, tenantId));
        }
        return lastSequence;
    }

    @EventSourcingHandler
    void on(AgentRegistered e, @SequenceNumber long sequence) {
        agentId = e.agentId();
        tenantId = e.tenantId();
        slug = e.slug();
        published = e.published();
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(AgentProfilePublished e, @SequenceNumber long sequence) {
        published = true;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(AgentProfileUnpublished e, @SequenceNumber long sequence) {
        published = false;
        lastSequence = sequence;
    }

    /**
     * An agent of another tenant answers exactly like an agent that does not exist; so does the id of another
     * kind of aggregate, whose events leave this one without a tenant.
     */
    private void requireTenant(String callerTenant) {
        if (tenantId == null || !tenantId.equals(callerTenant)) {
            throw new NotFoundException("Agent", agentId);
        }
    }
}
