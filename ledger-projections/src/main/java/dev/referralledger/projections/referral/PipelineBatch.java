package dev.referralledger.projections.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.projections.Copy;
import dev.referralledger.projections.CustomPlans;
import dev.referralledger.projections.TokenPositions;
import dev.referralledger.projections.Unnest;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferralStatus;
import dev.referralledger.core.referral.ReviewFlag;
import dev.referralledger.core.rules.Money;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline changes of one batch of events, written with four statements instead of several per event:
 * one read of the rows the batch touches, one insert of new rows, one update of known rows and one upsert
 * of advocate counters, each carrying all its rows as arrays ({@code unnest}).
 *
 * <p>An event at or below a row's {@code last_event_sequence} is skipped, so applying a batch twice
 * changes nothing.</p>
 */
final class PipelineBatch {

    /** A stage change: the new status (null: unchanged) and the columns it sets. */
    record Move(String referralId, long sequence, long position, Instant at, ReferralStatus status,
                String resultingDealId, Money dealValue, Instant dealClosedAt, String lostReason, ReviewFlag flag,
                Reversal reversal) {
    }

    /** A refund, cancellation or chargeback: how much of the deal it took back. */
    record Reversal(java.math.BigDecimal amount, String kind, boolean full) {
    }

    private record Received(ReferralReceived event, long sequence, long position, Instant at) {

        /** When the referral was received: an import's may be long before it was recorded. */
        Instant receivedAt() {
            return event.receivedAt() != null ? event.receivedAt() : at;
        }
    }

    /** What the table already holds of a row the batch touches. */
    private static final class Row {
        String tenantId;
        String advocateKey;
        ReferralStatus status;
        long lastSequence;
        final long storedSequence;
        final boolean isNew;
        Received received; // set for a row this batch creates
        Instant contactedAt, qualifiedAt, convertedAt, lostAt, dealClosedAt, updatedAt;
        String resultingDealId, lostReason;
        ReviewFlag flag;
        java.math.BigDecimal reversedDelta;
        String reversalKind;
        Instant reversedAt;
        boolean fullyReversed;
        Money dealValue;
        long lastPosition;

        Row(long storedSequence, boolean isNew) {
            this.storedSequence = storedSequence;
            this.isNew = isNew;
        }
    }

    /** Per advocate: counter deltas, and the referrer's latest contact details. */
    private static final class Delta {
        long total, received, contacted, qualified, converted, lost;
        String name, email, phone;
        Instant first, last;

        void count(ReferralStatus status, int by) {
            switch (status) {
                case RECEIVED -> received += by;
                case CONTACTED -> contacted += by;
                case QUALIFIED -> qualified += by;
                case CONVERTED -> converted += by;
                case LOST -> lost += by;
            }
        }
    }

    private List<Object> changes = new ArrayList<>();
    /** The referrals changed since rows were last written early ({@link #writeSettledRows}). */
    private final java.util.Set<String> recent = new java.util.HashSet<>();
    /** The advocate counters' changes since the last flush, in key order (see {@link #writeCounters}). */
    private final Map<List<String>, Delta> deltas = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
            ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
    /** The highest sequence applied per referral since the last flush. */
    private final Map<String, Long> applied = new HashMap<>();

    void add(ReferralReceived event, long sequence, long position, Instant at) {
        changes.add(new Received(event, sequence, position, at));
        recent.add(event.referralId());
    }

    void add(Move move) {
        changes.add(move);
        recent.add(move.referralId());
    }

    private static String referralOf(Object change) {
        return change instanceof Received r ? r.event().referralId() : ((Move) change).referralId();
    }

    /**
     * Writes everything collected: the rows, then the advocate counters.
     *
     * @return the highest sequence applied per referral, to report once the transaction has committed
     */
    Map<String, Long> flush(JdbcTemplate jdbc, ObjectMapper json) {
        writeRows(jdbc, json);
        recent.clear();
        writeCounters(jdbc);
        Map<String, Long> done = Map.copyOf(applied);
        applied.clear();
        return done;
    }

    /**
     * Writes the rows of the referrals not changed since this was last called, and keeps their advocate counters'
     * changes for {@link #flush}. A rebuild lane calls it every 1,000 events of a 10,000-event transaction, so that
     * rows do not outlive young collections; a row still changing waits for the next call, so that a referral
     * whose events are close together is still inserted once, finished, rather than inserted and updated (the
     * benchmark's seeded store, whose referrals' four events span 2,000 events: the pipeline's rebuild 39,768 →
     * 26,797 events/s when every row was written at once). Only rows: each referral belongs to one lane, while
     * two lanes count for the same advocates and must lock them once, in key order, at their commits.
     */
    void writeSettledRows(JdbcTemplate jdbc, ObjectMapper json) {
        List<Object> changing = new ArrayList<>();
        List<Object> settled = new ArrayList<>();
        for (Object change : changes) {
            (recent.contains(referralOf(change)) ? changing : settled).add(change);
        }
        recent.clear();
        changes = settled;
        writeRows(jdbc, json);
        changes = changing;
    }

    private void writeRows(JdbcTemplate jdbc, ObjectMapper json) {
        if (changes.isEmpty()) {
            return;
        }
        CustomPlans.forThisTransaction(jdbc);
        Map<String, Row> rows = load(jdbc);
        for (Object change : changes) {
            if (change instanceof Received r) {
                String id = r.event().referralId();
                if (rows.containsKey(id)) {
                    continue;
                }
                Row row = new Row(-1, true);
                row.tenantId = r.event().tenantId();
                row.advocateKey = ReferralPipelineProjection.advocateKey(r.event());
                row.status = ReferralStatus.RECEIVED;
                row.lastSequence = r.sequence();
                row.lastPosition = r.position();
                row.updatedAt = r.at();
                row.received = r;
                row.flag = r.event().flag();
                rows.put(id, row);
                Delta d = deltas.computeIfAbsent(List.of(row.tenantId, row.advocateKey), k -> new Delta());
                d.total++;
                d.received++;
                Advocate referrer = r.event().referrer();
                if (referrer != null) {
                    d.name = referrer.name() != null ? referrer.name() : d.name;
                    d.email = referrer.email() != null ? referrer.email() : d.email;
                    d.phone = referrer.phone() != null ? referrer.phone() : d.phone;
                }
                Instant received = r.receivedAt();
                d.first = d.first == null || received.isBefore(d.first) ? received : d.first;
                d.last = d.last == null || received.isAfter(d.last) ? received : d.last;
                applied.merge(id, r.sequence(), Math::max);
            } else if (change instanceof Move m) {
                Row row = rows.get(m.referralId());
                if (row == null || m.sequence() <= row.lastSequence) {
                    continue;
                }
                row.lastSequence = m.sequence();
                row.lastPosition = m.position();
                row.updatedAt = m.at();
                row.flag = m.flag() != null ? m.flag() : row.flag;
                if (m.reversal() != null) {
                    java.math.BigDecimal amount = m.reversal().amount() == null ? java.math.BigDecimal.ZERO : m.reversal().amount();
                    row.reversedDelta = row.reversedDelta == null ? amount : row.reversedDelta.add(amount);
                    row.reversalKind = m.reversal().kind();
                    row.reversedAt = m.at();
                    row.fullyReversed |= m.reversal().full();
                }
                applied.merge(m.referralId(), m.sequence(), Math::max);
                if (m.status() == null) {
                    continue;
                }
                Delta d = deltas.computeIfAbsent(List.of(row.tenantId, row.advocateKey), k -> new Delta());
                d.count(row.status, -1);
                d.count(m.status(), 1);
                row.status = m.status();
                switch (m.status()) {
                    case CONTACTED -> row.contactedAt = m.at();
                    case QUALIFIED -> row.qualifiedAt = m.at();
                    case CONVERTED -> {
                        row.convertedAt = m.at();
                        row.resultingDealId = m.resultingDealId();
                        row.dealValue = m.dealValue();
                        row.dealClosedAt = m.dealClosedAt();
                    }
                    case LOST -> {
                        row.lostAt = m.at();
                        row.lostReason = m.lostReason();
                    }
                    case RECEIVED -> {
                    }
                }
            }
        }
        write(jdbc, json, rows);
        changes.clear();
    }

    private Map<String, Row> load(JdbcTemplate jdbc) {
        List<String> ids = new ArrayList<>();
        for (Object change : changes) {
            ids.add(referralOf(change));
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    SELECT referral_id, tenant_id, advocate_key, status, last_event_sequence
                    FROM referral_pipeline WHERE referral_id = ANY (?)""");
            Array array = connection.createArrayOf("varchar", ids.stream().distinct().toArray(String[]::new));
            statement.setArray(1, array);
            return statement;
        }, rs -> {
            Row row = new Row(rs.getLong(5), false);
            row.tenantId = rs.getString(2);
            row.advocateKey = rs.getString(3);
            row.status = ReferralStatus.valueOf(rs.getString(4));
            row.lastSequence = row.storedSequence;
            rows.put(rs.getString(1), row);
        });
        return rows;
    }

    private void write(JdbcTemplate jdbc, ObjectMapper json, Map<String, Row> rows) {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row row = e.getValue();
            if (row.isNew) {
                inserts.add(insertValues(row, json));
            } else if (row.lastSequence > row.storedSequence) {
                updates.add(new Object[]{row.status.name(), ts(row.contactedAt), ts(row.qualifiedAt), ts(row.convertedAt),
                        ts(row.lostAt), row.resultingDealId, row.dealValue == null ? null : row.dealValue.amount(),
                        row.dealValue == null ? null : row.dealValue.currency(), ts(row.dealClosedAt), row.lostReason,
                        ts(row.updatedAt), row.lastSequence, row.lastPosition, e.getKey(), row.storedSequence,
                        row.flag == null ? null : row.flag.name(), row.reversedDelta, row.reversalKind,
                        ts(row.reversedAt), row.fullyReversed});
            }
        }
        if (!inserts.isEmpty() && TokenPositions.exactInThisThread()) {
            // a rebuild lane: rows it found missing in a copy that it alone writes (Copy)
            Copy.rows(jdbc, "referral_pipeline", INSERT_COLUMNS, inserts);
        } else if (!inserts.isEmpty()) {
            Unnest.update(jdbc, ("INSERT INTO referral_pipeline (" + INSERT_COLUMNS + ")" + """
                    SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16::jsonb, c17, c18::jsonb,
                        c19, c20, c21, c22,
                        -- the events' own positions (TokenPositions)
                        $received_position,
                        c24, c25, c26, c27, c28, c29, c30, c31, c32, c33,
                        $last_event_position, c35, c36, c37,
                        c38, c39, c40, c41, c42::jsonb, c43, c44, c45, c46
                    FROM unnest(%s) AS v(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17,
                        c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36,
                        c37, c38, c39, c40, c41, c42, c43, c44, c45, c46)
                    ON CONFLICT (referral_id) DO NOTHING""")
                    .replace("$received_position", TokenPositions.of("c1", "0", "c23"))
                    .replace("$last_event_position", TokenPositions.of("c1", "c24", "c34")), INSERT_TYPES, inserts);
        }
        if (!updates.isEmpty()) {
            Unnest.update(jdbc, """
                    UPDATE referral_pipeline p SET status = v.status,
                        contacted_at = COALESCE(v.contacted_at, p.contacted_at),
                        qualified_at = COALESCE(v.qualified_at, p.qualified_at),
                        converted_at = COALESCE(v.converted_at, p.converted_at),
                        lost_at = COALESCE(v.lost_at, p.lost_at),
                        resulting_deal_id = COALESCE(v.resulting_deal_id, p.resulting_deal_id),
                        deal_value = COALESCE(v.deal_value, p.deal_value),
                        deal_currency = COALESCE(v.deal_currency, p.deal_currency),
                        deal_closed_at = COALESCE(v.deal_closed_at, p.deal_closed_at),
                        lost_reason = COALESCE(v.lost_reason, p.lost_reason),
                        flag = COALESCE(v.flag, p.flag),
                        reversed_value = CASE WHEN v.reversed_delta IS NULL THEN p.reversed_value
                            ELSE COALESCE(p.reversed_value, 0) + v.reversed_delta END,
                        reversal_kind = COALESCE(v.reversal_kind, p.reversal_kind),
                        reversed_at = COALESCE(v.reversed_at, p.reversed_at),
                        fully_reversed = p.fully_reversed OR v.fully_reversed,
                        updated_at = v.updated_at, last_event_sequence = v.last_event_sequence,
                        last_event_position = $last_event_position
                    FROM unnest(%s)
                        AS v(status, contacted_at, qualified_at, converted_at, lost_at, resulting_deal_id,
                             deal_value, deal_currency, deal_closed_at, lost_reason, updated_at,
                             last_event_sequence, last_event_position, referral_id, stored_sequence, flag,
                             reversed_delta, reversal_kind, reversed_at, fully_reversed)
                    WHERE p.referral_id = v.referral_id AND p.last_event_sequence = v.stored_sequence"""
                    .replace("$last_event_position",
                            TokenPositions.of("v.referral_id", "v.last_event_sequence", "v.last_event_position")),
                    UPDATE_TYPES, updates);
        }
    }

    /**
     * One statement, in sorted key order: two batches (two segments) never lock the same advocates in opposite
     * orders. Advocates with only stage changes carry total 0, which leaves their first and last referral times
     * alone.
     */
    private void writeCounters(JdbcTemplate jdbc) {
        List<Object[]> counters = new ArrayList<>();
        Timestamp now = ts(Instant.now());
        for (Map.Entry<List<String>, Delta> e : deltas.entrySet()) {
            Delta d = e.getValue();
            counters.add(new Object[]{e.getKey().get(0), e.getKey().get(1), d.name, d.email, d.phone, d.total,
                    d.received, d.contacted, d.qualified, d.converted, d.lost,
                    d.first == null ? now : ts(d.first), d.last == null ? now : ts(d.last)});
        }
        if (!counters.isEmpty()) {
            Unnest.update(jdbc, """
                    INSERT INTO advocate_stats AS s (tenant_id, advocate_key, referrer_name, referrer_email,
                        referrer_phone, total_referrals, received, contacted, qualified, converted, lost,
                        first_referral_at, last_referral_at)
                    SELECT * FROM unnest(%s)
                    ON CONFLICT (tenant_id, advocate_key) DO UPDATE SET
                        total_referrals = s.total_referrals + EXCLUDED.total_referrals,
                        received = s.received + EXCLUDED.received,
                        contacted = s.contacted + EXCLUDED.contacted,
                        qualified = s.qualified + EXCLUDED.qualified,
                        converted = s.converted + EXCLUDED.converted,
                        lost = s.lost + EXCLUDED.lost,
                        referrer_name = COALESCE(EXCLUDED.referrer_name, s.referrer_name),
                        referrer_email = COALESCE(EXCLUDED.referrer_email, s.referrer_email),
                        referrer_phone = COALESCE(EXCLUDED.referrer_phone, s.referrer_phone),
                        first_referral_at = CASE WHEN EXCLUDED.total_referrals > 0
                            THEN LEAST(s.first_referral_at, EXCLUDED.first_referral_at) ELSE s.first_referral_at END,
                        last_referral_at = CASE WHEN EXCLUDED.total_referrals > 0
                            THEN GREATEST(s.last_referral_at, EXCLUDED.last_referral_at) ELSE s.last_referral_at END""",
                    ADVOCATE_TYPES, counters);
        }
        deltas.clear();
    }

    /** The columns of a new row, in the order of {@link #insertValues}. */
    private static final String INSERT_COLUMNS = """
            referral_id, tenant_id, status, referral_type, channel, agent_id, advocate_key, referrer_name,
            referrer_email, referrer_phone, referrer_external_id, referred_first_name, referred_last_name,
            referred_email, referred_phone, contacts, notes, metadata, expected_value, expected_currency, received_at,
            updated_at, received_position, last_event_sequence, contacted_at, qualified_at, converted_at, lost_at,
            resulting_deal_id, deal_value, deal_currency, deal_closed_at, lost_reason, last_event_position,
            program_id, advocate_id, referred_person_id, referral_code, impression_id, invitation_id, flag,
            introduction, reversed_value, reversal_kind, reversed_at, fully_reversed""";
    private static final String[] INSERT_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
            "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "text",
            "text", "text", "numeric", "varchar", "timestamptz", "timestamptz", "int8", "int8", "timestamptz",
            "timestamptz", "timestamptz", "timestamptz", "varchar", "numeric", "varchar", "timestamptz", "text", "int8",
            "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "text",
            "numeric", "varchar", "timestamptz", "bool"};
    private static final String[] UPDATE_TYPES = {"varchar", "timestamptz", "timestamptz", "timestamptz", "timestamptz",
            "varchar", "numeric", "varchar", "timestamptz", "text", "timestamptz", "int8", "int8", "varchar", "int8",
            "varchar", "numeric", "varchar", "timestamptz", "bool"};
    private static final String[] ADVOCATE_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "int8",
            "int8", "int8", "int8", "int8", "int8", "timestamptz", "timestamptz"};

    /** A new row in the column order of the insert: the received referral as the whole batch left it. */
    private static Object[] insertValues(Row row, ObjectMapper json) {
        ReferralReceived e = row.received.event();
        Money expected = e.expectedValue();
        Advocate referrer = e.referrer() == null ? new Advocate(null, null, null, null) : e.referrer();
        return new Object[]{
                e.referralId(), e.tenantId(), row.status.name(), e.type(), e.channel().name(), e.agentId(),
                row.advocateKey, referrer.name(), referrer.email(), referrer.phone(),
                referrer.externalId(), e.referred().firstName(), e.referred().lastName(), e.referred().email(),
                e.referred().phone(), toJson(json, e.contacts() == null ? List.of() : e.contacts()), e.notes(),
                toJson(json, e.metadata() == null ? Map.of() : e.metadata()),
                expected == null ? null : expected.amount(), expected == null ? null : expected.currency(),
                ts(row.received.receivedAt()), ts(row.updatedAt), row.received.position(), row.lastSequence,
                ts(row.contactedAt), ts(row.qualifiedAt), ts(row.convertedAt), ts(row.lostAt), row.resultingDealId,
                row.dealValue == null ? null : row.dealValue.amount(), row.dealValue == null ? null : row.dealValue.currency(),
                ts(row.dealClosedAt), row.lostReason, row.lastPosition, e.programId(), e.advocateId(),
                e.referredPersonId(), e.referralCode(), e.impressionId(), e.invitationId(),
                row.flag == null ? null : row.flag.name(),
                e.introduction() == null ? null : toJson(json, e.introduction()),
                // a conversion reversed in the same batch as the referral's arrival (a replay, an import)
                row.reversedDelta, row.reversalKind, ts(row.reversedAt), row.fullyReversed};
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String toJson(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write projection JSON", e);
        }
    }
}
