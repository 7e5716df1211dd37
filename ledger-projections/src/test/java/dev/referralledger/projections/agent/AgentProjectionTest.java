package dev.referralledger.projections.agent;

import dev.referralledger.core.agent.AgentProfilePublished;
import dev.referralledger.core.agent.AgentProfileUnpublished;
import dev.referralledger.core.agent.AgentRegistered;
import dev.referralledger.projections.AppliedPositions;
import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent projection against real PostgreSQL. */
class AgentProjectionTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final AppliedPositions applied = new AppliedPositions();
    private final AgentProjection projection = new AgentProjection(jdbc, applied);
    private final AgentQueries queries = new AgentQueries(jdbc, applied, Duration.ofMillis(200));
    private final String tenant = "t-" + UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");

    private String register(long position, boolean published) {
        String id = UUID.randomUUID().toString();
        projection.on(new AgentRegistered(id, tenant, "Jane Doe", "jane@example.com", "s-" + id, published), 0, t0,
                new GlobalSequenceTrackingToken(position));
        return id;
    }

    @Test
    void applyingEveryEventTwiceChangesNothing() {
        String id = UUID.randomUUID().toString();
        for (int round = 0; round < 2; round++) {
            projection.on(new AgentRegistered(id, tenant, "Jane Doe", "jane@example.com", "jane-" + id, false), 0, t0,
                    new GlobalSequenceTrackingToken(10));
            projection.on(new AgentProfilePublished(id, tenant), 1, t0.plusSeconds(60));
            projection.on(new AgentProfileUnpublished(id, tenant), 2, t0.plusSeconds(120));
        }
        AgentView view = queries.find(new FindAgent(tenant, id));
        assertThat(view.published()).isFalse();
        assertThat(view.publishedAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(120));
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.slug()).isEqualTo("jane-" + id);
        assertThat(view.publicFormPath()).isEqualTo("/api/public/referral/jane-" + id);
        assertThat(queries.awaitVersion(id, 2)).isTrue();
        assertThat(queries.awaitVersion(id, 3)).isFalse();
    }

    @Test
    void anAgentRegisteredPublishedIsPublishedFromTheStart() {
        String id = register(20, true);
        AgentView view = queries.find(new FindAgent(tenant, id));
        assertThat(view.published()).isTrue();
        assertThat(view.publishedAt()).isEqualTo(t0);
        assertThat(view.registeredAt()).isEqualTo(t0);
    }

    @Test
    void anotherTenantSeesNothing() {
        String id = register(30, false);
        assertThat(queries.find(new FindAgent("someone-else", id))).isNull();
        assertThat(queries.list(new ListAgents("someone-else", null, 10, null)).items()).isEmpty();
    }

    @Test
    void listsAreNewestFirstFilteredAndPaged() {
        String a = register(40, true);
        String b = register(41, false);
        String c = register(42, true);
        AgentPage first = queries.list(new ListAgents(tenant, null, 2, null));
        assertThat(first.items()).extracting(AgentView::id).containsExactly(c, b);
        AgentPage second = queries.list(new ListAgents(tenant, null, 2, Long.parseLong(first.nextCursor())));
        assertThat(second.items()).extracting(AgentView::id).containsExactly(a);
        assertThat(second.nextCursor()).isNull();
        assertThat(queries.list(new ListAgents(tenant, true, 10, null)).items()).extracting(AgentView::id)
                .containsExactly(c, a);
        assertThat(queries.list(new ListAgents(tenant, false, 10, null)).items()).extracting(AgentView::id)
                .containsExactly(b);
    }
}
