package dev.referralledger.core.lookup;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lookups for fixture tests: the same claim semantics as the PostgreSQL table (first live claim wins, an
 * expired one is taken over). Concurrency is proven against PostgreSQL in the API tests.
 */
public class InMemoryLookups implements Lookups {

    private record Held(Entry entry, Instant expiresAt) {
        boolean live() {
            return expiresAt == null || expiresAt.isAfter(Instant.now());
        }
    }

    private final Map<String, Held> entries = new HashMap<>();
    private final Map<String, Integer> hourly = new HashMap<>();

    private static String key(String tenantId, LookupKind kind, String key) {
        return tenantId + "|" + kind + "|" + key;
    }

    @Override
    public Entry claim(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail,
                       Instant expiresAt) {
        Held held = entries.get(key(tenantId, kind, key));
        if (held != null && held.live()) {
            return new Entry(held.entry().ownerId(), held.entry().scopeId(), held.entry().detail(), false);
        }
        Entry mine = new Entry(ownerId, scopeId, detail, true);
        entries.put(key(tenantId, kind, key), new Held(mine, expiresAt));
        return mine;
    }

    @Override
    public void put(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail) {
        entries.put(key(tenantId, kind, key), new Held(new Entry(ownerId, scopeId, detail, true), null));
    }

    @Override
    public void release(String tenantId, LookupKind kind, String key, String ownerId) {
        Held held = entries.get(key(tenantId, kind, key));
        if (held != null && held.entry().ownerId().equals(ownerId)) {
            entries.remove(key(tenantId, kind, key));
        }
    }

    @Override
    public ReleasedPerson releasePerson(String tenantId, String personId) {
        java.util.List<String> released = new java.util.ArrayList<>();
        for (LookupKind kind : new LookupKind[]{LookupKind.PERSON_EMAIL, LookupKind.PERSON_PHONE,
                LookupKind.PERSON_EXTERNAL_ID}) {
            String prefix = key(tenantId, kind, "");
            entries.entrySet().removeIf(e -> {
                boolean mine = e.getKey().startsWith(prefix) && e.getValue().entry().ownerId().equals(personId);
                if (mine) {
                    released.add(e.getKey().substring(prefix.length()));
                }
                return mine;
            });
        }
        return new ReleasedPerson(released, java.util.List.of());
    }

    @Override
    public Optional<Entry> find(String tenantId, LookupKind kind, String key) {
        Held held = entries.get(key(tenantId, kind, key));
        return held == null || !held.live() ? Optional.empty()
                : Optional.of(new Entry(held.entry().ownerId(), held.entry().scopeId(), held.entry().detail(), false));
    }

    @Override
    public int countReferralInLastHour(String tenantId, String programId, String advocateId, Instant at) {
        return hourly.merge(tenantId + "|" + programId + "|" + advocateId, 1, Integer::sum);
    }

    private final Map<String, java.math.BigDecimal> counters = new HashMap<>();

    @Override
    public synchronized java.math.BigDecimal lockCounter(String tenantId, String key) {
        return counters.getOrDefault(tenantId + "|" + key, java.math.BigDecimal.ZERO);
    }

    @Override
    public synchronized void addToCounter(String tenantId, String key, java.math.BigDecimal amount) {
        counters.merge(tenantId + "|" + key, amount, java.math.BigDecimal::add);
    }

    /** Makes {@code key} an expired claim, as if its window had passed. */
    public void expire(String tenantId, LookupKind kind, String key) {
        Held held = entries.get(key(tenantId, kind, key));
        entries.put(key(tenantId, kind, key), new Held(held.entry(), Instant.now().minusSeconds(1)));
    }
}
