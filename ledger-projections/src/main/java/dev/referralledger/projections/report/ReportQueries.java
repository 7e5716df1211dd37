package dev.referralledger.projections.report;

import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Answers the reports: attribution from {@code attribution_entry}, the funnel from {@code impression} and
 * {@code referral_pipeline} (through {@code analytics.v_funnel_referrals}, which says which stages a referral
 * reached). Every query is scoped to the caller's tenant; group columns come from an enum, never from input.
 */
@Component
public class ReportQueries {

    private final JdbcTemplate jdbc;

    public ReportQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    public AttributionRows attribution(AttributionReport q) {
        StringBuilder sql = new StringBuilder("SELECT " + q.groupBy().column + """
                 AS key, currency, sum(revenue) AS revenue, sum(reversed_revenue) AS reversed,
                    sum(conversions) AS conversions, sum(reversals) AS reversals, sum(reward_issued) AS issued,
                    sum(reward_voided) AS voided, sum(reward_clawed_back) AS clawed_back, sum(reward_sent) AS sent
                FROM attribution_entry WHERE tenant_id = ?""");
        List<Object> args = new ArrayList<>();
        args.add(q.tenantId());
        if (q.from() != null) {
            sql.append(" AND day >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND day < ?");
            args.add(q.to());
        }
        if (q.currency() != null) {
            sql.append(" AND currency = ?");
            args.add(q.currency());
        }
        if (q.asOf() != null) {
            sql.append(" AND recorded_at <= ?");
            args.add(Timestamp.from(q.asOf()));
        }
        sql.append(" GROUP BY 1, 2 ORDER BY currency NULLS LAST, sum(revenue - reversed_revenue) DESC, "
                + "sum(conversions) DESC, 1 NULLS LAST LIMIT ?");
        args.add(q.limit());
        return new AttributionRows(jdbc.query(sql.toString(), (rs, n) -> {
            String currency = rs.getString("currency");
            BigDecimal revenue = rs.getBigDecimal("revenue");
            BigDecimal reversed = rs.getBigDecimal("reversed");
            BigDecimal issued = rs.getBigDecimal("issued");
            BigDecimal voided = rs.getBigDecimal("voided");
            BigDecimal clawedBack = rs.getBigDecimal("clawed_back");
            return new AttributionRow(rs.getString("key"), currency, money(revenue, currency),
                    money(reversed, currency), money(revenue.subtract(reversed), currency), rs.getLong("conversions"),
                    rs.getLong("reversals"), money(issued, currency), money(voided, currency),
                    money(clawedBack, currency), money(issued.subtract(voided).subtract(clawedBack), currency),
                    money(rs.getBigDecimal("sent"), currency));
        }, args.toArray()));
    }

    @QueryHandler
    public FunnelRows funnel(FunnelReport q) {
        String key = q.groupBy().column;
        boolean channel = q.groupBy() == FunnelReport.Dimension.CHANNEL;
        List<Object> args = new ArrayList<>();
        // one row per referral and per impression, summed per key (GROUP BY puts the null keys together)
        StringBuilder rows = new StringBuilder("SELECT " + key + """
                 AS key, 0 AS impressions, 1 AS referrals, reached_contacted::int AS contacted,
                    reached_qualified::int AS qualified, reached_converted::int AS converted
                FROM analytics.v_funnel_referrals WHERE tenant_id = ?""");
        args.add(q.tenantId());
        narrow(rows, args, q, "received_at");
        if (!channel) {
            rows.append(" UNION ALL SELECT ").append(key)
                    .append(", 1, 0, 0, 0, 0 FROM impression WHERE tenant_id = ?");
            args.add(q.tenantId());
            narrow(rows, args, q, "occurred_at");
        }
        // impressions have no channel: by channel, only the referral stages
        String sql = "SELECT key, " + (channel ? "NULL::bigint" : "sum(impressions)") + " AS impressions, "
                + "sum(referrals) AS referrals, sum(contacted) AS contacted, sum(qualified) AS qualified, "
                + "sum(converted) AS converted FROM (" + rows + ") f GROUP BY key "
                + "ORDER BY referrals DESC, impressions DESC NULLS LAST, key NULLS LAST LIMIT ?";
        args.add(q.limit());
        return new FunnelRows(jdbc.query(sql, (rs, n) -> {
            long impressions = rs.getLong("impressions");
            Long shown = rs.wasNull() ? null : impressions;
            long referred = rs.getLong("referrals");
            long contacted = rs.getLong("contacted");
            long qualified = rs.getLong("qualified");
            long converted = rs.getLong("converted");
            return new FunnelRow(rs.getString("key"), shown, referred, contacted, qualified, converted,
                    shown == null ? null : rate(referred, shown), rate(contacted, referred), rate(qualified, contacted),
                    rate(converted, qualified), rate(converted, referred));
        }, args.toArray()));
    }

    private static void narrow(StringBuilder sql, List<Object> args, FunnelReport q, String timeColumn) {
        if (q.programId() != null) {
            sql.append(" AND program_id = ?");
            args.add(q.programId());
        }
        if (q.from() != null) {
            sql.append(" AND ").append(timeColumn).append(" >= ?");
            args.add(startOf(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND ").append(timeColumn).append(" < ?");
            args.add(startOf(q.to()));
        }
    }

    private static Timestamp startOf(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Four decimals, half-even; null when nothing to divide by. */
    static BigDecimal rate(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }

    /**
     * Sums are stored with four decimals; shown with the currency's own digits when that loses nothing (a
     * percentage reward can carry more).
     */
    static BigDecimal money(BigDecimal amount, String currency) {
        BigDecimal exact = amount.stripTrailingZeros();
        int digits = 2;
        if (currency != null) {
            try {
                digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
            } catch (IllegalArgumentException unknown) {
                // a currency Java does not know: keep two digits
            }
        }
        return exact.scale() <= digits ? exact.setScale(digits, RoundingMode.UNNECESSARY) : exact;
    }
}
