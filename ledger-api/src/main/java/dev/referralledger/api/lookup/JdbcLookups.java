package dev.referralledger.api.lookup;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
        // Most keys (a known person's email) are held already: one read answers them.
        Optional<Entry> held = find(tenantId, kind, key);
        if (held.isPresent()) {
            return held.get();
        }
        // A concurrent claim of the same key waits here on the primary key until the first transaction ends;
        // an expired holder is replaced in the same statement.
        List<Entry> won = jdbc.query("""
                INSERT INTO command_lookup AS l (tenant_id, kind, lookup_key, owner_id, scope_id, detail, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, kind, lookup_key) DO UPDATE SET owner_id = EXCLUDED.owner_id,
                    scope_id = EXCLUDED.scope_id, detail = EXCLUDED.detail, expires_at = EXCLUDED.expires_at,
                    created_at = now()
                WHERE l.expires_at IS NOT NULL AND l.expires_at <= now()
                RETURNING owner_id, scope_id, detail""",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), true),
                tenantId, kind.name(), key, ownerId, scopeId, detail, ts(expiresAt));
        if (!won.isEmpty()) {
            return won.get(0);
        }
        return find(tenantId, kind, key).orElseThrow(() ->
                new IllegalStateException("lookup " + kind + " " + key + " neither claimed nor held"));
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

    @Override
    public Optional<Entry> find(String tenantId, LookupKind kind, String key) {
        return jdbc.query("""
                SELECT owner_id, scope_id, detail FROM command_lookup
                WHERE tenant_id = ? AND kind = ? AND lookup_key = ? AND (expires_at IS NULL OR expires_at > now())""",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), false),
                tenantId, kind.name(), key).stream().findFirst();
    }

    @Override
    public int countReferralInLastHour(String tenantId, String programId, String advocateId, Instant at) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        jdbc.update("""
                INSERT INTO advocate_referral_rate AS r (tenant_id, program_id, advocate_id, minute, referrals)
                VALUES (?, ?, ?, ?, 1)
                ON CONFLICT (tenant_id, program_id, advocate_id, minute) DO UPDATE SET referrals = r.referrals + 1""",
                tenantId, programId, advocateId, ts(minute));
        Integer count = jdbc.queryForObject("""
                SELECT COALESCE(SUM(referrals), 0) FROM advocate_referral_rate
                WHERE tenant_id = ? AND program_id = ? AND advocate_id = ? AND minute > ?""",
                Integer.class, tenantId, programId, advocateId, ts(minute.minus(60, ChronoUnit.MINUTES)));
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
