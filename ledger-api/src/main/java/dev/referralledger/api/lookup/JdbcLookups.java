package dev.referralledger.api.lookup;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * {@link Lookups} on the {@code command_lookup} table. The JdbcTemplate shares the connection of the Spring
 * transaction Axon opened for the command, so every write here commits or rolls back with the command's events.
 */
@Component
public class JdbcLookups implements Lookups {

    private final JdbcTemplate jdbc;

    public JdbcLookups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Entry claim(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail,
                       Instant expiresAt) {
        // A key held already (an advocate enrolled before, a person referred before) is answered by one read,
        // which locks nothing; only a free or expired key is written.
        Optional<Entry> held = find(tenantId, kind, key);
        if (held.isPresent()) {
            return held.get();
        }
        return claimAll(tenantId, List.of(new Claim(kind, key, ownerId, scopeId, detail, expiresAt))).get(0);
    }

    /**
     * Every key of {@link #findAll}, each looked up by the whole primary key. As a plain join, PostgreSQL flattened
     * it, and the plan it cached for the prepared statement while the table was small (after five uses) searched the
     * key by the tenant alone and filtered every row of the tenant: 20 ms and 5,700 pages per create once the
     * benchmark's tenant had about 5,000 keys, until autovacuum's next analysis re-planned it, up to a minute later.
     * {@code OFFSET 0} keeps the subquery a lookup per key (LookupPlansTest).
     */
    static final String FIND_ALL = """
            SELECT w.kind, w.lookup_key, l.owner_id, l.scope_id, l.detail
            FROM unnest(?::varchar[], ?::varchar[]) AS w(kind, lookup_key)
            CROSS JOIN LATERAL (SELECT owner_id, scope_id, detail, expires_at FROM command_lookup
                WHERE tenant_id = ? AND kind = w.kind AND lookup_key = w.lookup_key OFFSET 0) l
            WHERE l.expires_at IS NULL OR l.expires_at > now()""";

    /** One statement, whatever the number of keys: each found by the primary key. */
    @Override
    public List<Entry> findAll(String tenantId, List<Key> keys) {
        Map<Key, Entry> found = new HashMap<>();
        jdbc.query(FIND_ALL,
                rs -> {
                    found.put(new Key(LookupKind.valueOf(rs.getString(1)), rs.getString(2)),
                            new Entry(rs.getString(3), rs.getString(4), rs.getString(5), false));
                },
                kinds(keys.stream().map(Key::kind)), keys.stream().map(Key::key).toArray(String[]::new), tenantId);
        List<Entry> entries = new ArrayList<>(keys.size());
        for (Key k : keys) {
            entries.add(found.get(k));
        }
        return entries;
    }

    /**
     * One statement for all the keys. A concurrent claim of the same key waits on the primary key until the first
     * transaction ends, and an expired holder is replaced in the same statement. Rows are inserted in key order, so
     * two commands claiming overlapping keys wait for each other instead of deadlocking; a key another command
     * claimed first is read afterwards.
     */
    @Override
    public List<Entry> claimAll(String tenantId, List<Claim> claims) {
        Set<Key> won = new HashSet<>();
        jdbc.query("""
                INSERT INTO command_lookup AS l (tenant_id, kind, lookup_key, owner_id, scope_id, detail, expires_at)
                SELECT ?, w.kind, w.lookup_key, w.owner_id, w.scope_id, w.detail, w.expires_at::timestamptz
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[])
                    AS w(kind, lookup_key, owner_id, scope_id, detail, expires_at)
                ORDER BY w.kind, w.lookup_key
                ON CONFLICT (tenant_id, kind, lookup_key) DO UPDATE SET owner_id = EXCLUDED.owner_id,
                    scope_id = EXCLUDED.scope_id, detail = EXCLUDED.detail, expires_at = EXCLUDED.expires_at,
                    created_at = now()
                WHERE l.expires_at IS NOT NULL AND l.expires_at <= now()
                RETURNING kind, lookup_key""",
                rs -> {
                    won.add(new Key(LookupKind.valueOf(rs.getString(1)), rs.getString(2)));
                },
                tenantId, kinds(claims.stream().map(Claim::kind)), claims.stream().map(Claim::key).toArray(String[]::new),
                claims.stream().map(Claim::ownerId).toArray(String[]::new),
                claims.stream().map(Claim::scopeId).toArray(String[]::new),
                claims.stream().map(Claim::detail).toArray(String[]::new),
                // ISO-8601 text, which PostgreSQL reads as a timestamptz
                claims.stream().map(c -> c.expiresAt() == null ? null : c.expiresAt().toString()).toArray(String[]::new));
        List<Entry> entries = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            entries.add(won.contains(new Key(c.kind(), c.key()))
                    ? new Entry(c.ownerId(), c.scopeId(), c.detail(), true)
                    : find(tenantId, c.kind(), c.key()).orElseThrow(() ->
                            new IllegalStateException("lookup " + c.kind() + " " + c.key() + " neither claimed nor held")));
        }
        return entries;
    }

    private static String[] kinds(java.util.stream.Stream<LookupKind> kinds) {
        return kinds.map(LookupKind::name).toArray(String[]::new);
    }

    @Override
    public void put(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail) {
        jdbc.update("""
                INSERT INTO command_lookup (tenant_id, kind, lookup_key, owner_id, scope_id, detail)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, kind, lookup_key) DO UPDATE SET owner_id = EXCLUDED.owner_id,
                    scope_id = EXCLUDED.scope_id, detail = EXCLUDED.detail, expires_at = NULL""",
                tenantId, kind.name(), key, ownerId, scopeId, detail);
    }

    @Override
    public void release(String tenantId, LookupKind kind, String key, String ownerId) {
        jdbc.update("DELETE FROM command_lookup WHERE tenant_id = ? AND kind = ? AND lookup_key = ? AND owner_id = ?",
                tenantId, kind.name(), key, ownerId);
    }

    @Override
    public ReleasedPerson releasePerson(String tenantId, String personId) {
        List<String> identifiers = jdbc.queryForList("""
                DELETE FROM command_lookup WHERE tenant_id = ? AND owner_id = ?
                    AND kind IN ('PERSON_EMAIL', 'PERSON_PHONE', 'PERSON_EXTERNAL_ID')
                RETURNING lookup_key""", String.class, tenantId, personId);
        if (identifiers.isEmpty()) {
            return new ReleasedPerson(identifiers, List.of());
        }
        // invitation keys end with the invitee's identifier: program id:advocate id:identifier
        List<String> invitations = jdbc.queryForList("""
                DELETE FROM command_lookup WHERE tenant_id = ? AND kind = 'INVITATION'
                    AND substring(lookup_key from '[^:]*$') = ANY (?)
                RETURNING owner_id""", String.class, tenantId, identifiers.toArray(String[]::new));
        return new ReleasedPerson(identifiers, invitations);
    }

    static final String FIND = """
            SELECT owner_id, scope_id, detail FROM command_lookup
            WHERE tenant_id = ? AND kind = ? AND lookup_key = ? AND (expires_at IS NULL OR expires_at > now())""";

    @Override
    public Optional<Entry> find(String tenantId, LookupKind kind, String key) {
        return jdbc.query(FIND,
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), false),
                tenantId, kind.name(), key).stream().findFirst();
    }

    @Override
    public int countReferralInLastHour(String tenantId, String programId, String advocateId, Instant at) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        // one statement: the outer query sees the table as it was before the upsert, so it sums the earlier
        // minutes and takes this minute's count from the upsert itself
        Integer count = jdbc.queryForObject("""
                WITH this_minute AS (
                    INSERT INTO advocate_referral_rate AS r (tenant_id, program_id, advocate_id, minute, referrals)
                    VALUES (?, ?, ?, ?, 1)
                    ON CONFLICT (tenant_id, program_id, advocate_id, minute) DO UPDATE SET referrals = r.referrals + 1
                    RETURNING referrals)
                SELECT (SELECT referrals FROM this_minute) + COALESCE((SELECT SUM(referrals) FROM advocate_referral_rate
                    WHERE tenant_id = ? AND program_id = ? AND advocate_id = ? AND minute > ? AND minute < ?), 0)""",
                Integer.class, tenantId, programId, advocateId, ts(minute),
                tenantId, programId, advocateId, ts(minute.minus(60, ChronoUnit.MINUTES)), ts(minute));
        return count == null ? 0 : count;
    }

    @Override
    public java.math.BigDecimal lockCounter(String tenantId, String key) {
        // the row must exist to be locked; a concurrent first insert waits on the primary key
        jdbc.update("INSERT INTO command_counter (tenant_id, counter_key, total) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                tenantId, key);
        return jdbc.queryForObject("SELECT total FROM command_counter WHERE tenant_id = ? AND counter_key = ? FOR UPDATE",
                java.math.BigDecimal.class, tenantId, key);
    }

    @Override
    public void addToCounter(String tenantId, String key, java.math.BigDecimal amount) {
        jdbc.update("UPDATE command_counter SET total = total + ? WHERE tenant_id = ? AND counter_key = ?",
                amount, tenantId, key);
    }

    /** Velocity counts older than a day are of no use to the hourly rule. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOldRates() {
        jdbc.update("DELETE FROM advocate_referral_rate WHERE minute < now() - interval '1 day'");
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
