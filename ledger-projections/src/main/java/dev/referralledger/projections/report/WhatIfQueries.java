package dev.referralledger.projections.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.reward.Reward;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.rules.Money;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@link WhatIfReport} from the event store, never from the projections (which only know what happened):
 * one pass over the referrals received and converted before {@code to}, oldest first, read with a cursor so the
 * store is never loaded whole; then the rewards the reward policy issued for the period's conversions, by their
 * derived ids ({@link Reward#idFor}). Nothing is written.
 */
@Component
public class WhatIfQueries {

    private static final int FETCH = 500;
    private static final int IDS_PER_READ = 1000;

    private final JdbcTemplate cursor;
    private final ObjectReader json;
    /**
     * Query handlers run without a transaction; this one needs its own: PostgreSQL's driver fetches FETCH rows
     * at a time only inside one, and both reads see the same snapshot.
     */
    private final TransactionTemplate snapshot;

    public WhatIfQueries(JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactions) {
        this.cursor = new JdbcTemplate(jdbc.getDataSource());
        this.cursor.setFetchSize(FETCH);
        this.json = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    @QueryHandler
    public WhatIfResult whatIf(WhatIfReport q) {
        return snapshot.execute(status -> replay(q));
    }

    private WhatIfResult replay(WhatIfReport q) {
        WhatIf whatIf = new WhatIf(q);
        // time_stamp is an ISO-8601 instant in text with a variable number of fraction digits: cast, never compared
        cursor.query("""
                        SELECT global_index, payload_type, time_stamp, payload FROM domain_event_entry
                        WHERE payload_type IN (?, ?) AND time_stamp::timestamptz < ?
                        ORDER BY global_index""",
                rs -> {
                    JsonNode e = read(rs.getBytes("payload"));
                    if (!q.tenantId().equals(e.path("tenantId").asText(null))) {
                        return;
                    }
                    Instant at = Instant.parse(rs.getString("time_stamp"));
                    long position = rs.getLong("global_index");
                    if (rs.getString("payload_type").equals(ReferralReceived.class.getName())) {
                        whatIf.touch(new WhatIf.Touch(text(e, "referralId"), text(e, "advocateId"),
                                text(e, "programId"), text(e, "referredPersonId"), at, position));
                    } else {
                        whatIf.conversion(new WhatIf.Conversion(text(e, "referralId"), at, position,
                                money(e.path("dealValue")), text(e, "advocateId"), text(e, "programId"),
                                text(e, "referredPersonId")));
                    }
                },
                ReferralReceived.class.getName(), ReferralConverted.class.getName(), Timestamp.from(q.to()));
        return whatIf.result(issued(q.tenantId(), whatIf.reported()));
    }

    /** The rewards the policy saga issued for these conversions: their ids derive from the referral and side. */
    private Map<String, List<WhatIf.Issued>> issued(String tenantId, List<WhatIf.Conversion> conversions) {
        Map<String, List<WhatIf.Issued>> out = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (WhatIf.Conversion c : conversions) {
            for (RewardSide side : RewardSide.values()) {
                ids.add(Reward.idFor(c.referralId(), side));
            }
        }
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            List<String> some = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
            cursor.query(connection -> {
                var statement = connection.prepareStatement("""
                        SELECT payload FROM domain_event_entry
                        WHERE aggregate_identifier = ANY (?) AND sequence_number = 0 AND payload_type = ?""");
                Array array = connection.createArrayOf("varchar", some.toArray(String[]::new));
                statement.setArray(1, array);
                statement.setString(2, RewardIssued.class.getName());
                return statement;
            }, (ResultSet rs) -> {
                JsonNode e = read(rs.getBytes("payload"));
                Money amount = money(e.path("amount"));
                if (tenantId.equals(e.path("tenantId").asText(null)) && amount != null) {
                    out.computeIfAbsent(text(e, "referralId"), k -> new ArrayList<>()).add(new WhatIf.Issued(
                            text(e, "referralId"), RewardSide.valueOf(e.path("side").asText()), amount));
                }
            });
        }
        return out;
    }

    private JsonNode read(byte[] payload) throws SQLException {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            throw new SQLException("stored event is not JSON", e);
        }
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static Money money(JsonNode m) {
        if (!m.isObject() || !m.path("amount").isNumber() || !m.path("currency").isTextual()) {
            return null;
        }
        return new Money(m.path("amount").decimalValue(), m.path("currency").asText());
    }
}
