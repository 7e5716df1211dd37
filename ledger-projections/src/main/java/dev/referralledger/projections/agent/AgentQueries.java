package dev.referralledger.projections.agent;

import dev.referralledger.projections.TenantRow;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Answers agent queries from {@code agent_profile}; every query is scoped to the caller's tenant. */
@Component
public class AgentQueries {

    /** Where the public referral form of a slug is posted. */
    public static final String PUBLIC_FORM_PATH = "/api/public/referral/";

    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;
    private final Duration readYourWritesTimeout;

    public AgentQueries(JdbcTemplate jdbc, AppliedPositions appliedPositions,
                        @Value("${ledger.read-your-writes-timeout:PT5S}") Duration readYourWritesTimeout) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /**
     * Waits, at most {@code ledger.read-your-writes-timeout}, until {@code agent_profile} shows the agent's event
     * number {@code version}. Holds no connection while it waits.
     *
     * @return false when the projection did not get there in time
     */
    public boolean awaitVersion(String agentId, long version) {
        return appliedPositions.await(agentId, version, () -> appliedSequence(agentId), readYourWritesTimeout);
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM agent_profile WHERE agent_id = ?";

    @QueryHandler
    public AgentView find(FindAgent query) {
        return TenantRow.find(jdbc, FIND, query.agentId(), query.tenantId(), AgentQueries::view);
    }

    @QueryHandler
    public AgentPage list(ListAgents q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM agent_profile WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.tenantId());
        if (q.published() != null) {
            sql.append(" AND published = ?");
            args.add(q.published());
        }
        if (q.cursor() != null) {
            sql.append(" AND registered_position < ?");
            args.add(q.cursor());
        }
        sql.append(" ORDER BY registered_position DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Long> positions = new ArrayList<>();
        List<AgentView> rows = jdbc.query(sql.toString(), (rs, n) -> {
            positions.add(rs.getLong("registered_position"));
            return view(rs, n);
        }, args.toArray());
        if (rows.size() <= q.limit()) {
            return new AgentPage(rows, null);
        }
        return new AgentPage(rows.subList(0, q.limit()), Long.toString(positions.get(q.limit() - 1)));
    }

    private long appliedSequence(String agentId) {
        List<Long> rows = jdbc.queryForList("SELECT last_event_sequence FROM agent_profile WHERE agent_id = ?",
                Long.class, agentId);
        return rows.isEmpty() ? -1 : rows.get(0);
    }

    private static AgentView view(ResultSet rs, int row) throws SQLException {
        String slug = rs.getString("slug");
        return new AgentView(rs.getString("agent_id"), rs.getString("name"), rs.getString("email"), slug,
                rs.getBoolean("published"), PUBLIC_FORM_PATH + slug, instant(rs, "registered_at"),
                instant(rs, "published_at"), instant(rs, "updated_at"), rs.getLong("last_event_sequence"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
