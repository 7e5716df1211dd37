package dev.referralledger.projections.agent;

import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.projections.ProcessingGroups;
import dev.referralledger.core.agent.AgentProfilePublished;
import dev.referralledger.core.agent.AgentProfileUnpublished;
import dev.referralledger.core.agent.AgentRegistered;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Owns {@code agent_profile}: one row per agent. Every write is guarded by the agent's event sequence, so a
 * redelivered event changes nothing; after the transaction commits, writers waiting to read their own write
 * are told.
 */
@Component
@ProjectionTables({"agent_profile"})
@ProcessingGroup(ProcessingGroups.DIRECTORY)
public class AgentProjection {


    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;

    public AgentProjection(JdbcTemplate jdbc, AppliedPositions appliedPositions) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
    }

    @EventHandler
    void on(AgentRegistered e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        java.sql.Timestamp when = java.sql.Timestamp.from(at);
        jdbc.update("""
                INSERT INTO agent_profile (agent_id, tenant_id, name, email, slug, published, registered_at,
                    published_at, updated_at, registered_position, last_event_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
                    -- the event's own position: a processor's token is ahead of an event that committed late
                    COALESCE((SELECT d.global_index FROM domain_event_entry d
                              WHERE d.aggregate_identifier = ? AND d.sequence_number = ?), ?), ?)
                ON CONFLICT (agent_id) DO NOTHING""",
                e.agentId(), e.tenantId(), e.name(), e.email(), e.slug(), e.published(), when,
                e.published() ? when : null, when, e.agentId(), sequence, position(token), sequence);
        applied(e.agentId(), sequence);
    }

    @EventHandler
    void on(AgentProfilePublished e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE agent_profile SET published = TRUE, published_at = ?, updated_at = ?, last_event_sequence = ?
                WHERE agent_id = ? AND last_event_sequence < ?""",
                sql(at), sql(at), sequence, e.agentId(), sequence);
        applied(e.agentId(), sequence);
    }

    @EventHandler
    void on(AgentProfileUnpublished e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE agent_profile SET published = FALSE, updated_at = ?, last_event_sequence = ?
                WHERE agent_id = ? AND last_event_sequence < ?""",
                sql(at), sequence, e.agentId(), sequence);
        applied(e.agentId(), sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM agent_profile");
    }

    /** Reported only once the row is committed: a waiter that re-reads the table must find it. */
    private void applied(String agentId, long sequence) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> appliedPositions.applied(agentId, sequence));
        } else {
            appliedPositions.applied(agentId, sequence);
        }
    }

    private static java.sql.Timestamp sql(Instant at) {
        return java.sql.Timestamp.from(at);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
