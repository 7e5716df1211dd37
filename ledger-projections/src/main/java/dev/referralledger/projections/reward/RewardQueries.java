package dev.referralledger.projections.reward;

import dev.referralledger.projections.TenantRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Answers reward queries from {@code reward_queue} and {@code reward_policy}, scoped to the caller's tenant. */
@Component
public class RewardQueries {

    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;
    private final Duration readYourWritesTimeout;
    // exact amounts: 12.50 must not come back as the double 12.5
    private final ObjectMapper json = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    public RewardQueries(JdbcTemplate jdbc, AppliedPositions appliedPositions,
                         @Value("${ledger.read-your-writes-timeout:PT5S}") Duration readYourWritesTimeout) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /** Waits, at most the read-your-writes timeout, until {@code reward_queue} shows the reward's event {@code version}. */
    public boolean awaitVersion(String rewardId, long version) {
        return appliedPositions.await(rewardId, version, () -> sequence(
                "SELECT last_event_sequence FROM reward_queue WHERE reward_id = ?", rewardId), readYourWritesTimeout);
    }

    /** Waits until {@code reward_policy} shows the program's event {@code version}. */
    public boolean awaitPolicy(String programId, long version) {
        return appliedPositions.await(RewardQueueProjection.POLICY_KEY + programId, version, () -> sequence(
                "SELECT last_event_sequence FROM reward_policy WHERE program_id = ?", programId), readYourWritesTimeout);
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM reward_queue WHERE reward_id = ?";

    @QueryHandler
    public RewardView find(FindReward q) {
        return TenantRow.find(jdbc, FIND, q.rewardId(), q.tenantId(), RewardQueries::view);
    }

    @QueryHandler
    public RewardPage list(ListRewards q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM reward_queue WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.tenantId());
        filter(sql, args, "status", q.status());
        filter(sql, args, "program_id", q.programId());
        filter(sql, args, "advocate_id", q.advocateId());
        filter(sql, args, "referral_id", q.referralId());
        sql.append(" ORDER BY held_until, reward_id LIMIT ? OFFSET ?");
        args.add(q.limit() + 1);
        args.add(q.offset());
        List<RewardView> rows = jdbc.query(sql.toString(), RewardQueries::view, args.toArray());
        if (rows.size() <= q.limit()) {
            return new RewardPage(rows, null);
        }
        return new RewardPage(rows.subList(0, q.limit()), q.offset() + q.limit());
    }

    @QueryHandler
    public RewardPolicyView policy(FindRewardPolicy q) {
        List<RewardPolicyView> rows = jdbc.query("SELECT * FROM reward_policy WHERE tenant_id = ? AND program_id = ?",
                (rs, n) -> {
                    JsonNode policy = parse(rs.getString("policy"));
                    return new RewardPolicyView(rs.getString("program_id"), rs.getInt("version"), policy.get("referrer"),
                            policy.get("referred"), policy.get("milestones"), instant(rs, "changed_at"),
                            rs.getLong("last_event_sequence"));
                }, q.tenantId(), q.programId());
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private long sequence(String sql, String id) {
        List<Long> rows = jdbc.queryForList(sql, Long.class, id);
        return rows.isEmpty() ? -1 : rows.get(0);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable reward policy", e);
        }
    }

    private static RewardView view(ResultSet rs, int row) throws SQLException {
        int policyVersion = rs.getInt("policy_version");
        Integer version = rs.wasNull() ? null : policyVersion;
        return new RewardView(rs.getString("reward_id"), rs.getString("status"), rs.getString("side"),
                rs.getString("type"), money(rs, "amount"), rs.getString("currency"), rs.getString("referral_id"),
                rs.getString("program_id"), rs.getString("advocate_id"), rs.getString("recipient_id"), version,
                rs.getString("reason"), instant(rs, "held_until"), instant(rs, "issued_at"), instant(rs, "ready_at"),
                instant(rs, "sent_at"), rs.getString("fulfilment_reference"), rs.getString("thank_you"),
                rs.getString("thank_you_channel"), instant(rs, "voided_at"), rs.getString("void_reason"),
                money(rs, "clawback_amount"), rs.getString("clawback_reason"), instant(rs, "clawed_back_at"),
                instant(rs, "updated_at"), rs.getLong("last_event_sequence"));
    }

    /** Amounts are stored with 4 decimals; shown with their currency's (50.00 USD, 500 JPY). */
    private static java.math.BigDecimal money(ResultSet rs, String column) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(column);
        if (v == null) {
            return null;
        }
        int digits = Math.max(java.util.Currency.getInstance(rs.getString("currency")).getDefaultFractionDigits(), 0);
        java.math.BigDecimal stripped = v.stripTrailingZeros();
        return stripped.scale() <= digits ? v.setScale(digits, java.math.RoundingMode.UNNECESSARY) : stripped;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
