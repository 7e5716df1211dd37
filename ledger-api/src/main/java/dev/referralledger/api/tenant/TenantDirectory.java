package dev.referralledger.api.tenant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants and their API keys. A key is 256 random bits shown once; only its SHA-256 is stored, which is enough
 * for a secret that cannot be guessed (a slow password hash would only slow every request down).
 */
@Component
public class TenantDirectory {

    public record Tenant(String id, String name, Instant createdAt) {
    }

    public record ApiKey(String id, String tenantId, String name, String prefix, Instant createdAt, Instant revokedAt) {
    }

    /** A key as created: the only time its secret is known. */
    public record IssuedKey(ApiKey key, String secret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET_PREFIX = "rl_";
    /** How long a live key is trusted without asking the database again; a revocation elsewhere waits this long. */
    private static final long TRUST_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_TRUSTED = 10_000;

    private record Trusted(Caller caller, long until) {
    }

    private final JdbcTemplate jdbc;
    // key hash (hex) -> caller: saves a query on every request; revocation here clears it at once
    private final java.util.concurrent.ConcurrentHashMap<String, Trusted> trusted = new java.util.concurrent.ConcurrentHashMap<>();
    // bumped by every revocation: a lookup that raced with one is not cached
    private final java.util.concurrent.atomic.AtomicLong revocations = new java.util.concurrent.atomic.AtomicLong();

    public TenantDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws DuplicateKeyException when the id is taken */
    public Tenant createTenant(String id, String name) {
        String tenantId = id == null ? UUID.randomUUID().toString() : id;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        jdbc.update("INSERT INTO tenant (tenant_id, name, created_at) VALUES (?, ?, ?)", tenantId, name, Timestamp.from(now));
        return new Tenant(tenantId, name, now);
    }

    public Optional<Tenant> tenant(String id) {
        return jdbc.query("SELECT tenant_id, name, created_at FROM tenant WHERE tenant_id = ?",
                (rs, n) -> new Tenant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()), id).stream().findFirst();
    }

    public List<Tenant> tenants() {
        return jdbc.query("SELECT tenant_id, name, created_at FROM tenant ORDER BY created_at",
                (rs, n) -> new Tenant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
    }

    public boolean isEmpty() {
        return Boolean.FALSE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM tenant)", Boolean.class));
    }

    /** A tenant and its first key, together or not at all. */
    @Transactional
    public IssuedKey createTenantWithKey(String id, String name) {
        createTenant(id, name);
        return issueKey(id, name.toLowerCase(java.util.Locale.ROOT));
    }

    @Transactional
    public IssuedKey issueKey(String tenantId, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String keyId = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.update("INSERT INTO api_key (key_id, tenant_id, name, secret_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                keyId, tenantId, name, hash(secret), secret.substring(0, 8), Timestamp.from(now));
        return new IssuedKey(new ApiKey(keyId, tenantId, name, secret.substring(0, 8), now, null), secret);
    }

    public List<ApiKey> keys(String tenantId) {
        return jdbc.query("SELECT key_id, tenant_id, name, key_prefix, created_at, revoked_at FROM api_key WHERE tenant_id = ? ORDER BY created_at",
                (rs, n) -> new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()),
                tenantId);
    }

    /** @return false when the tenant has no such key */
    public boolean revoke(String tenantId, String keyId) {
        revocations.incrementAndGet();
        boolean found = jdbc.update("UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = ? AND key_id = ?",
                tenantId, keyId) == 1;
        revocations.incrementAndGet();
        trusted.values().removeIf(t -> t.caller().apiKeyId().equals(keyId));
        return found;
    }

    /** The caller a live key belongs to; empty for unknown and revoked keys alike. */
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = hash(secret);
        String cacheKey = java.util.HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Trusted known = trusted.get(cacheKey);
        if (known != null && known.until() - now > 0) {
            return Optional.of(known.caller());
        }
        long generation = revocations.get();
        Optional<Caller> caller = jdbc.query("SELECT tenant_id, key_id FROM api_key WHERE secret_hash = ? AND revoked_at IS NULL",
                (rs, n) -> new Caller(rs.getString(1), rs.getString(2)), (Object) hash).stream().findFirst();
        if (caller.isPresent() && generation == revocations.get()) {
            if (trusted.size() >= MAX_TRUSTED) {
                trusted.clear();
            }
            trusted.put(cacheKey, new Trusted(caller.get(), now + TRUST_NANOS));
        } else {
            trusted.remove(cacheKey);
        }
        return caller;
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
