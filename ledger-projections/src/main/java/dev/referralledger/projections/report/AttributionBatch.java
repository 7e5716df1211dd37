package dev.referralledger.projections.report;

import dev.referralledger.projections.Copy;
import dev.referralledger.projections.CustomPlans;
import dev.referralledger.projections.TokenPositions;
import dev.referralledger.projections.Unnest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attribution entries of one processor batch, written with at most three statements: one read of the
 * conversions the batch's new rewards belong to, one read of the rewards its later reward events belong to,
 * and one insert of all its rows. A replay of a million events then costs a few thousand round trips, not one per
 * conversion.
 *
 * <p>Entries are resolved in event order, so a reward issued in the same batch as its conversion (or voided in
 * the same batch as its issue) finds it without the database.</p>
 */
final class AttributionBatch {

    /** The columns of an entry, in the order of {@link Entry#values}. */
    private static final String COLUMNS = """
            source_id, source_sequence, entry_type, tenant_id, day, occurred_at, currency, advocate_id, program_id,
            channel, agent_id, referral_id, reward_id, reward_side, revenue, reversed_revenue, conversions, reversals,
            reward_issued, reward_voided, reward_clawed_back, reward_sent, global_position, recorded_at""";
    static final String INSERT = "INSERT INTO attribution_entry (" + COLUMNS + ")" + """
            SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22,
                $global_position, c24 -- the event's own position (TokenPositions)
            FROM unnest(%s) AS v(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18,
                c19, c20, c21, c22, c23, c24)
            ON CONFLICT (source_id, source_sequence) DO NOTHING""";
    private static final String[] TYPES = {"varchar", "int8", "varchar", "varchar", "date", "timestamptz",
            "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "numeric",
            "numeric", "int4", "int4", "numeric", "numeric", "numeric", "numeric", "int8", "timestamptz"};

    /** One row of attribution_entry; amounts not set stay zero. */
    static final class Entry {
        final String sourceId;
        final long sequence;
        final String type;
        final Instant at;
        final long position;
        /** When the ledger recorded the event (its timestamp in the event store); {@code at} may be a business time. */
        final Instant recordedAt;
        String tenantId, currency, advocateId, programId, channel, agentId, referralId, rewardId, side;
        BigDecimal revenue = BigDecimal.ZERO, reversed = BigDecimal.ZERO, issued = BigDecimal.ZERO,
                voided = BigDecimal.ZERO, clawedBack = BigDecimal.ZERO, sent = BigDecimal.ZERO;
        int conversions, reversals;
        /** For a later reward event: the amount it names (a clawback), else null for the issued amount. */
        BigDecimal followAmount;

        Entry(String sourceId, long sequence, String type, Instant at, long position, Instant recordedAt) {
            this.sourceId = sourceId;
            this.sequence = sequence;
            this.type = type;
            this.at = at;
            this.position = position;
            this.recordedAt = recordedAt;
        }

        boolean follows() {
            return type.equals("REWARD_VOIDED") || type.equals("REWARD_SENT") || type.equals("REWARD_CLAWBACK");
        }

        /** Takes the keys of the reward's issue, and the amount in the column of this entry's type. */
        void follow(Entry issue) {
            tenantId = issue.tenantId;
            currency = issue.currency;
            advocateId = issue.advocateId;
            programId = issue.programId;
            channel = issue.channel;
            agentId = issue.agentId;
            referralId = issue.referralId;
            side = issue.side;
            BigDecimal amount = followAmount != null ? followAmount : issue.issued;
            switch (type) {
                case "REWARD_VOIDED" -> voided = amount;
                case "REWARD_SENT" -> sent = amount;
                default -> clawedBack = amount;
            }
        }

        Object[] values() {
            return new Object[]{sourceId, sequence, type, tenantId, LocalDate.ofInstant(at, ZoneOffset.UTC),
                    Timestamp.from(at), currency, advocateId, programId, channel, agentId, referralId, rewardId, side,
                    revenue, reversed, conversions, reversals, issued, voided, clawedBack, sent, position,
                    Timestamp.from(recordedAt)};
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(Entry entry) {
        entries.add(entry);
    }

    void flush(JdbcTemplate jdbc) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, Entry> conversions = new HashMap<>();
        Map<String, Entry> issues = new HashMap<>();
        Set<String> referralsToRead = new LinkedHashSet<>();
        Set<String> rewardsToRead = new LinkedHashSet<>();
        for (Entry e : entries) {
            switch (e.type) {
                case "CONVERSION" -> conversions.put(e.referralId, e);
                case "REWARD_ISSUED" -> {
                    if (e.referralId != null && !conversions.containsKey(e.referralId)) {
                        referralsToRead.add(e.referralId);
                    }
                    issues.put(e.rewardId, e);
                }
                default -> {
                    if (e.follows() && !issues.containsKey(e.rewardId)) {
                        rewardsToRead.add(e.rewardId);
                    }
                }
            }
        }
        Map<String, Entry> storedConversions = new HashMap<>();
        if (!referralsToRead.isEmpty() || !rewardsToRead.isEmpty()) {
            CustomPlans.forThisTransaction(jdbc);
        }
        if (!referralsToRead.isEmpty()) {
            query(jdbc, "SELECT referral_id, channel, agent_id FROM attribution_entry "
                    + "WHERE entry_type = 'CONVERSION' AND referral_id = ANY (?)", referralsToRead, rs -> {
                Entry c = new Entry(null, 0, "CONVERSION", null, 0, null);
                c.channel = rs.getString(2);
                c.agentId = rs.getString(3);
                storedConversions.put(rs.getString(1), c);
            });
        }
        Map<String, Entry> storedIssues = new HashMap<>();
        if (!rewardsToRead.isEmpty()) {
            query(jdbc, "SELECT reward_id, tenant_id, currency, advocate_id, program_id, channel, agent_id, "
                    + "referral_id, reward_side, reward_issued FROM attribution_entry "
                    + "WHERE entry_type = 'REWARD_ISSUED' AND reward_id = ANY (?)", rewardsToRead, rs -> {
                Entry i = new Entry(null, 0, "REWARD_ISSUED", null, 0, null);
                i.tenantId = rs.getString(2);
                i.currency = rs.getString(3);
                i.advocateId = rs.getString(4);
                i.programId = rs.getString(5);
                i.channel = rs.getString(6);
                i.agentId = rs.getString(7);
                i.referralId = rs.getString(8);
                i.side = rs.getString(9);
                i.issued = rs.getBigDecimal(10);
                storedIssues.put(rs.getString(1), i);
            });
        }
        // in event order: an issue sees the conversions before it, a later reward event the issue before it
        Map<String, Entry> seenConversions = new HashMap<>(storedConversions);
        Map<String, Entry> seenIssues = new HashMap<>(storedIssues);
        List<Object[]> rows = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type.equals("CONVERSION")) {
                seenConversions.put(e.referralId, e);
            } else if (e.type.equals("REWARD_ISSUED")) {
                Entry conversion = e.referralId == null ? null : seenConversions.get(e.referralId);
                if (conversion != null) {
                    e.channel = conversion.channel;
                    e.agentId = conversion.agentId;
                }
                seenIssues.put(e.rewardId, e);
            } else if (e.follows()) {
                Entry issue = seenIssues.get(e.rewardId);
                if (issue == null) {
                    continue; // a reward never issued (cannot happen in a ledger whose events are complete)
                }
                e.follow(issue);
            }
            rows.add(e.values());
        }
        if (TokenPositions.exactInThisThread()) {
            // a rebuild lane: every event once, so every entry is new to the copy (Copy)
            Copy.rows(jdbc, "attribution_entry", COLUMNS, rows);
        } else {
            Unnest.update(jdbc, INSERT.replace("$global_position", TokenPositions.of("c1", "c2", "c23")), TYPES, rows);
        }
        entries.clear();
    }

    private interface Row {
        void read(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    private static void query(JdbcTemplate jdbc, String sql, Set<String> ids, Row row) {
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(sql);
            Array array = connection.createArrayOf("varchar", ids.toArray(String[]::new));
            statement.setArray(1, array);
            return statement;
        }, rs -> {
            row.read(rs);
        });
    }
}
