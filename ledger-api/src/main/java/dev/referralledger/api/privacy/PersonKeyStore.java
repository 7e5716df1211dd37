package dev.referralledger.api.privacy;

import dev.referralledger.core.person.PersonKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code person_key} table: one AES-256 key per data subject (a person, or a referral or invitation whose
 * person is unknown). Erasure sets the key to NULL and keeps the row, as the proof that the subject was erased
 * and so that no new key is ever made for them.
 *
 * <p>A key is made by the statement that stores the first event needing it, on the connection of the Spring
 * transaction Axon opened for the command: it commits or rolls back with that event. A key the current
 * transaction made, erased or imported is cached only once it committed (a cached key whose row rolled back
 * would encrypt events nothing can read); any other key read is committed already and cached at once, so that
 * the events of a long transaction (a projection's batch, a rebuild's 10,000 events) share one lookup per
 * person: a rebuild of 156,000 encrypted events looked keys up 129,045 times when they waited for the commit.
 * Cached for {@code ledger.person-keys.cache-ttl}: how long another process may still read a person it did not
 * erase. Until then, the transaction that made a key remembers it for itself: a referral's new person has three
 * sealed fields, each of which made the key's statements again (four round trips more per referral written). A
 * new key row answers with its key: one statement makes and reads it.</p>
 */
@Component
public class PersonKeyStore implements PersonKeys {

    public static final int KEY_BYTES = 32;
    /** What the current transaction wrote to the table ({@link Written}), bound while it runs. */
    private static final Object WRITTEN = new Object();
    private static final String ALL = "*";
    private static final int MAX_CACHED = 50_000;
    private static final int READ_AHEAD = 1_000;
    /** Whether this thread replays events in order (a rebuild lane): only then is reading ahead worth it. */
    private static final ThreadLocal<Boolean> REPLAYING = ThreadLocal.withInitial(() -> false);

    /**
     * The rows the current transaction wrote (cache keys, or {@link #ALL} after an import), and the keys of those
     * rows it has read since: valid for this transaction only, as they may still roll back.
     */
    private static final class Written {
        final Set<String> subjects = new HashSet<>();
        final Map<String, SubjectKey> keys = new java.util.HashMap<>();
    }

    /** What the table says of a subject: its key, or null bytes when erased. */
    public record SubjectKey(byte[] key, long loadedAtNanos) {
        public boolean erased() {
            return key == null;
        }
    }

    private final JdbcTemplate jdbc;
    private final long ttlNanos;
    private final SecureRandom random = new SecureRandom();
    /**
     * Bumped (under the cache's lock) whenever a key leaves the cache or changes for any reason but room: a key a
     * thread remembers for itself ({@link #recent}) is good only while this has not moved since it read it.
     */
    private final AtomicLong forgotten = new AtomicLong();
    /**
     * The last two keys this thread took from the cache. An event's sealed fields come two people at a time
     * (advocate, referred person, referred person…): most lookups ask for one of the last two, and answering them
     * here skips building the cache key and taking the cache's lock (5–7% of a rebuild lane's samples).
     */
    private final ThreadLocal<Recent[]> recent = ThreadLocal.withInitial(() -> new Recent[2]);

    private record Recent(String tenantId, String subjectId, SubjectKey key, long generation) {
    }

    private final Map<String, SubjectKey> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SubjectKey> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public PersonKeyStore(JdbcTemplate jdbc, @Value("${ledger.person-keys.cache-ttl:PT5M}") Duration cacheTtl) {
        this.jdbc = jdbc;
        this.ttlNanos = cacheTtl.toNanos();
    }

    /**
     * The key to encrypt the subject's data with, made now (in the current transaction) when it has none.
     *
     * @return null when the subject was erased: their data must not be stored any more
     */
    public byte[] keyForWriting(String tenantId, String subjectId) {
        SubjectKey cached = known(tenantId, subjectId);
        if (cached != null) {
            return cached.key();
        }
        byte[] fresh = new byte[KEY_BYTES];
        random.nextBytes(fresh);
        // a concurrent first writer of the same subject waits here until the other transaction ends, then
        // this reads the key that one made; a new subject's row answers with its key at once
        writtenNow(cacheKey(tenantId, subjectId));
        List<byte[]> made = jdbc.query("""
                INSERT INTO person_key (tenant_id, subject_id, key_bytes) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id, subject_id) DO NOTHING RETURNING key_bytes""",
                (rs, i) -> rs.getBytes(1), tenantId, subjectId, fresh);
        return made.isEmpty() ? load(tenantId, subjectId, 1).key()
                : remember(tenantId, subjectId, new SubjectKey(made.get(0), System.nanoTime())).key();
    }

    /**
     * The subject's key for reading.
     *
     * @return null when the subject has no key row at all (never had personal data stored, or the keys of an
     * exported ledger were not imported)
     */
    public SubjectKey keyForReading(String tenantId, String subjectId) {
        SubjectKey cached = known(tenantId, subjectId);
        return cached != null ? cached : load(tenantId, subjectId, REPLAYING.get() ? READ_AHEAD : 1);
    }

    /** Says that this thread replays the events in order from here on: a missed key brings the next ones along. */
    public static void replayingInThisThread() {
        REPLAYING.set(true);
    }

    /** The key from this transaction's own writes, else from the cache; null when neither knows it. */
    private SubjectKey known(String tenantId, String subjectId) {
        Written written = writtenByThisTransaction();
        if (written != null) {
            SubjectKey mine = written.keys.get(cacheKey(tenantId, subjectId));
            if (mine != null) {
                return mine;
            }
        }
        return cached(tenantId, subjectId);
    }

    @Override
    public boolean destroy(String tenantId, String personId, Collection<String> identifiers,
                           Collection<String> invitationIds) {
        concat(personId, invitationIds).forEach(subject -> writtenNow(cacheKey(tenantId, subject)));
        boolean known = jdbc.update("""
                UPDATE person_key SET key_bytes = NULL, erased_at = COALESCE(erased_at, now())
                WHERE tenant_id = ? AND subject_id = ?""", tenantId, personId) > 0;
        if (!known) {
            jdbc.update("INSERT INTO person_key (tenant_id, subject_id, key_bytes, erased_at) VALUES (?, ?, NULL, now())",
                    tenantId, personId);
        }
        for (String invitationId : invitationIds) {
            jdbc.update("""
                    UPDATE person_key SET key_bytes = NULL, erased_at = COALESCE(erased_at, now())
                    WHERE tenant_id = ? AND subject_id = ?""", tenantId, invitationId);
        }
        // a stored answer replayed for an idempotency key would show the person again
        for (String named : concat(personId, identifiers)) {
            jdbc.update("""
                    DELETE FROM api_idempotency_key WHERE tenant_id = ? AND response_body IS NOT NULL
                        AND position(convert_to(?, 'UTF8') in response_body) > 0""", tenantId, named);
        }
        List<String> subjects = concat(personId, invitationIds);
        forget(tenantId, subjects);
        afterCommit(() -> forget(tenantId, subjects));
        return known;
    }

    /** A row of the table as exported: the key in base64, null once erased. */
    public record ExportedKey(String tenantId, String subjectId, String key, java.time.Instant createdAt,
                              java.time.Instant erasedAt) {
    }

    /** Every key, in (tenant, subject) order, streamed to {@code out}. */
    public void export(java.util.function.Consumer<ExportedKey> out) {
        jdbc.query("""
                SELECT tenant_id, subject_id, key_bytes, created_at, erased_at FROM person_key
                ORDER BY tenant_id, subject_id""", rs -> {
            byte[] key = rs.getBytes(3);
            java.sql.Timestamp erased = rs.getTimestamp(5);
            out.accept(new ExportedKey(rs.getString(1), rs.getString(2),
                    key == null ? null : java.util.Base64.getEncoder().encodeToString(key),
                    rs.getTimestamp(4).toInstant(), erased == null ? null : erased.toInstant()));
        });
    }

    /** Whether the table has no key yet: imports go into an empty ledger only. */
    public boolean isEmpty() {
        return jdbc.queryForList("SELECT 1 FROM person_key LIMIT 1").isEmpty();
    }

    /** Inserts exported keys (validated by the caller) in the current transaction. */
    public void insert(List<ExportedKey> rows) {
        writtenNow(ALL);
        jdbc.batchUpdate("""
                INSERT INTO person_key (tenant_id, subject_id, key_bytes, created_at, erased_at)
                VALUES (?, ?, ?, ?, ?)""", rows.stream().map(r -> new Object[]{r.tenantId(), r.subjectId(),
                r.key() == null ? null : java.util.Base64.getDecoder().decode(r.key()),
                java.sql.Timestamp.from(r.createdAt()),
                r.erasedAt() == null ? null : java.sql.Timestamp.from(r.erasedAt())}).toList());
        afterCommit(this::forgetAll);
    }

    /**
     * The subject's key from the table, and with it the keys of the subjects made after it in the same tenant (up
     * to {@code count} keys in all, in the order they were made), all cached. A rebuild lane meets people in about
     * that order, so it reads ahead: a rebuild of a store written through the API needs one statement per 1,000
     * people instead of one per person (a quarter of the pipeline lanes' time in the first rebuild after a start).
     * Anyone else reads the one key: a live processor misses only a key it has not used for the cache's time to
     * live, mostly an old one, after which every key of the tenant was made.
     */
    private SubjectKey load(String tenantId, String subjectId, int count) {
        long now = System.nanoTime();
        List<Object[]> rows = jdbc.query("SELECT key_bytes, created_at FROM person_key WHERE tenant_id = ? AND subject_id = ?",
                (rs, i) -> new Object[]{rs.getBytes(1), rs.getTimestamp(2)}, tenantId, subjectId);
        if (rows.isEmpty()) {
            return null;
        }
        SubjectKey wanted = remember(tenantId, subjectId, new SubjectKey((byte[]) rows.get(0)[0], now));
        if (count > 1) {
            // in index order, without sorting: a plan made without statistics (a new table) would otherwise
            // collect every later key of the tenant and sort them to keep 1,000
            jdbc.execute("SET LOCAL enable_bitmapscan = off");
            jdbc.execute("SET LOCAL enable_sort = off");
            jdbc.query("""
                    SELECT subject_id, key_bytes FROM person_key WHERE tenant_id = ? AND created_at >= ?
                    ORDER BY created_at, subject_id LIMIT""" + " " + count,
                    rs -> {
                        remember(tenantId, rs.getString(1), new SubjectKey(rs.getBytes(2), now));
                    }, tenantId, rows.get(0)[1]);
            jdbc.execute("SET LOCAL enable_bitmapscan = on");
            jdbc.execute("SET LOCAL enable_sort = on");
        }
        return wanted;
    }

    /** Caches a key read from the table: at once when committed, for this transaction only when it wrote the row. */
    private SubjectKey remember(String tenantId, String subjectId, SubjectKey key) {
        String cacheKey = cacheKey(tenantId, subjectId);
        Runnable remember = () -> {
            synchronized (cache) {
                SubjectKey before = cache.put(cacheKey, key);
                if (before != null && !Arrays.equals(before.key(), key.key())) {
                    forgotten.incrementAndGet();
                }
            }
        };
        if (writtenInThisTransaction(cacheKey)) {
            writtenByThisTransaction().keys.put(cacheKey, key);
            afterCommit(remember);
        } else {
            remember.run();
        }
        return key;
    }

    /**
     * Notes that the current transaction writes this cache key's row (or {@link #ALL} rows): what it knew of the
     * row is read again.
     */
    private static void writtenNow(String cacheKey) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Written written = writtenByThisTransaction();
        if (written == null) {
            written = new Written();
            TransactionSynchronizationManager.bindResource(WRITTEN, written);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(WRITTEN);
                }
            });
        }
        written.subjects.add(cacheKey);
        if (cacheKey.equals(ALL)) {
            written.keys.clear();
        } else {
            written.keys.remove(cacheKey);
        }
    }

    private static Written writtenByThisTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                ? (Written) TransactionSynchronizationManager.getResource(WRITTEN) : null;
    }

    private static boolean writtenInThisTransaction(String cacheKey) {
        Written written = writtenByThisTransaction();
        return written != null && (written.subjects.contains(cacheKey) || written.subjects.contains(ALL));
    }

    private SubjectKey cached(String tenantId, String subjectId) {
        long generation = forgotten.get(); // read before the cache: a key forgotten after this is not trusted
        Recent[] mine = recent.get();
        for (Recent r : mine) {
            if (r != null && r.generation() == generation && r.subjectId().equals(subjectId)
                    && r.tenantId().equals(tenantId) && System.nanoTime() - r.key().loadedAtNanos() <= ttlNanos) {
                return r.key();
            }
        }
        SubjectKey key;
        synchronized (cache) {
            key = cache.get(cacheKey(tenantId, subjectId));
            if (key != null && System.nanoTime() - key.loadedAtNanos() > ttlNanos) {
                cache.remove(cacheKey(tenantId, subjectId));
                forgotten.incrementAndGet();
                return null;
            }
        }
        if (key != null) {
            mine[1] = mine[0];
            mine[0] = new Recent(tenantId, subjectId, key, generation);
        }
        return key;
    }

    private void forget(String tenantId, Collection<String> subjects) {
        synchronized (cache) {
            subjects.forEach(s -> cache.remove(cacheKey(tenantId, s)));
            forgotten.incrementAndGet(); // after the removal: see cached()
        }
    }

    /** Empties the cache (after an import, or in tests). */
    public void forgetAll() {
        synchronized (cache) {
            cache.clear();
            forgotten.incrementAndGet();
        }
    }

    /** Runs {@code action} once the current transaction committed, or now when there is none. */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    private static List<String> concat(String first, Collection<String> rest) {
        List<String> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String cacheKey(String tenantId, String subjectId) {
        return tenantId + '\u0000' + subjectId;
    }
}
