package dev.referralledger.projections.referral;

import dev.referralledger.projections.TenantRow;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Contact;
import dev.referralledger.core.referral.Introduction;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Answers referral queries from {@code referral_pipeline}; every query is scoped to the caller's tenant. */
@Component
public class ReferralQueries {

    private static final TypeReference<List<Contact>> CONTACTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AppliedPositions appliedPositions;
    private final Duration readYourWritesTimeout;

    public ReferralQueries(JdbcTemplate jdbc, ObjectMapper json, AppliedPositions appliedPositions,
                           @Value("${ledger.read-your-writes-timeout:PT5S}") Duration readYourWritesTimeout) {
        this.jdbc = jdbc;
        this.json = json;
        this.appliedPositions = appliedPositions;
        this.readYourWritesTimeout = readYourWritesTimeout;
    }

    /**
     * Waits, at most {@code ledger.read-your-writes-timeout}, until the pipeline reflects the referral's event
     * number {@code version}: a writer calls it before reading its own write. It holds no connection while it
     * waits (a query handler runs in a transaction, which would pin one).
     *
     * @return false when the projection did not get there in time
     */
    public boolean awaitVersion(String referralId, long version) {
        return appliedPositions.await(referralId, version, () -> appliedSequence(referralId), readYourWritesTimeout);
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM referral_pipeline WHERE referral_id = ?";

    @QueryHandler
    public ReferralView find(FindReferral query) {
        return TenantRow.find(jdbc, FIND, query.referralId(), query.tenantId(), this::view);
    }

    private long appliedSequence(String referralId) {
        List<Long> rows = jdbc.queryForList("SELECT last_event_sequence FROM referral_pipeline WHERE referral_id = ?",
                Long.class, referralId);
        return rows.isEmpty() ? -1 : rows.get(0);
    }

    @QueryHandler
    public ReferralPage list(ListReferrals q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM referral_pipeline WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.tenantId());
        filter(sql, args, "status = ?", q.status());
        filter(sql, args, "agent_id = ?", q.agentId());
        filter(sql, args, "channel = ?", q.channel());
        filter(sql, args, "referrer_email = ?", q.referrerEmail());
        filter(sql, args, "received_at >= ?", q.createdFrom() == null ? null : Timestamp.from(q.createdFrom()));
        filter(sql, args, "received_at < ?", q.createdTo() == null ? null : Timestamp.from(q.createdTo()));
        filter(sql, args, "program_id = ?", q.programId());
        filter(sql, args, "advocate_id = ?", q.advocateId());
        filter(sql, args, "flag = ?", q.flag());
        filter(sql, args, "received_position < ?", q.cursor());
        sql.append(" ORDER BY received_position DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Long> positions = new ArrayList<>();
        List<ReferralView> rows = jdbc.query(sql.toString(), (rs, n) -> {
            positions.add(rs.getLong("received_position"));
            return view(rs, n);
        }, args.toArray());
        if (rows.size() <= q.limit()) {
            return new ReferralPage(rows, null);
        }
        return new ReferralPage(rows.subList(0, q.limit()), Long.toString(positions.get(q.limit() - 1)));
    }

    private static void filter(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }

    private ReferralView view(ResultSet rs, int row) throws SQLException {
        try {
            return new ReferralView(
                    rs.getString("referral_id"),
                    rs.getString("status"),
                    rs.getString("referral_type"),
                    rs.getString("channel"),
                    rs.getString("agent_id"),
                    referrer(rs),
                    new ReferredPerson(rs.getString("referred_first_name"), rs.getString("referred_last_name"),
                            rs.getString("referred_email"), rs.getString("referred_phone")),
                    json.readValue(rs.getString("contacts"), CONTACTS),
                    rs.getString("notes"),
                    money(rs.getBigDecimal("expected_value"), rs.getString("expected_currency")),
                    rs.getString("resulting_deal_id"),
                    money(rs.getBigDecimal("deal_value"), rs.getString("deal_currency")),
                    instant(rs, "deal_closed_at"),
                    rs.getString("lost_reason"),
                    json.readValue(rs.getString("metadata"), OBJECT),
                    instant(rs, "received_at"),
                    instant(rs, "contacted_at"),
                    instant(rs, "qualified_at"),
                    instant(rs, "converted_at"),
                    instant(rs, "lost_at"),
                    instant(rs, "updated_at"),
                    rs.getLong("last_event_sequence"),
                    rs.getString("program_id"),
                    rs.getString("advocate_id"),
                    rs.getString("referred_person_id"),
                    rs.getString("referral_code"),
                    rs.getString("impression_id"),
                    rs.getString("invitation_id"),
                    rs.getString("flag"),
                    rs.getString("introduction") == null ? null
                            : json.readValue(rs.getString("introduction"), Introduction.class),
                    money(rs.getBigDecimal("reversed_value"), rs.getString("deal_currency")),
                    rs.getString("reversal_kind"),
                    instant(rs, "reversed_at"),
                    rs.getBoolean("fully_reversed"));
        } catch (IOException e) {
            throw new SQLException("unreadable JSON column in referral_pipeline", e);
        }
    }

    /** The referrer as given; null when the referral named its advocate only by code or impression. */
    private static Advocate referrer(ResultSet rs) throws SQLException {
        Advocate a = new Advocate(rs.getString("referrer_name"), rs.getString("referrer_email"),
                rs.getString("referrer_phone"), rs.getString("referrer_external_id"));
        return a.name() == null && a.email() == null && a.phone() == null && a.externalId() == null ? null : a;
    }

    /** Amounts are stored with four decimals; shown with the currency's own. */
    private static Money money(BigDecimal amount, String currency) {
        if (amount == null || currency == null) {
            return null;
        }
        int digits = Math.max(java.util.Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        return new Money(amount.setScale(digits, java.math.RoundingMode.UNNECESSARY), currency);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
