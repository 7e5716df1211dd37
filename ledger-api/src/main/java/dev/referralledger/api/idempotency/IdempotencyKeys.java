package dev.referralledger.api.idempotency;

import dev.referralledger.api.config.LedgerProperties;
import dev.referralledger.api.http.RequestMetadata;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.FieldViolation;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Spends idempotency keys. The key's row is inserted inside the command's own transaction, before the command
 * runs, so that a key is spent exactly when its events are stored: a refused command spends nothing, and a
 * crash can never store events without their key (or the reverse).
 *
 * <p>Two requests with the same key race on the primary key: PostgreSQL makes the second insert wait for the
 * first transaction, then it finds the row and is answered with the first request's response.</p>
 */
@Component
public class IdempotencyKeys implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final String SPENT = IdempotencyKeys.class.getName() + ".spent";
    public static final int MAX_KEY = 255;
    private static final Duration MINIMUM_RETENTION = Duration.ofHours(24);
    /** The status stored with a response known before the command ran: the command created something. */
    static final int KNOWN_RESPONSE_STATUS = 201;

    /** A spent key of the current request, to store its response under. */
    record Spent(String tenantId, String key) {
    }

    /** What the first request with a key got. Status and body are null until its response is stored. */
    record Outcome(byte[] fingerprint, Integer status, byte[] body, String location) {
    }

    private final JdbcTemplate jdbc;
    private final Duration retention;

    public IdempotencyKeys(JdbcTemplate jdbc, LedgerProperties properties) {
        this.jdbc = jdbc;
        Duration configured = properties.idempotencyRetention();
        this.retention = configured == null || configured.compareTo(MINIMUM_RETENTION) < 0 ? MINIMUM_RETENTION : configured;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        MetaData meta = unitOfWork.getMessage().getMetaData();
        Object key = meta.get(RequestMetadata.IDEMPOTENCY_KEY);
        Object tenant = meta.get(RequestMetadata.TENANT_ID);
        Object fingerprint = meta.get(RequestMetadata.REQUEST_FINGERPRINT);
        if (key == null || tenant == null || fingerprint == null) {
            return chain.proceed();
        }
        String k = key.toString();
        if (k.isBlank() || k.length() > MAX_KEY) {
            throw new InvalidCommandException(List.of(new FieldViolation("Idempotency-Key",
                    k.isBlank() ? "REQUIRED" : "TOO_LONG", "Idempotency-Key must be 1 to " + MAX_KEY + " characters.")));
        }
        byte[] hash = HexFormat.of().parseHex(fingerprint.toString());
        Object known = meta.get(RequestMetadata.IDEMPOTENCY_RESPONSE);
        int inserted = known == null
                ? jdbc.update("""
                        INSERT INTO api_idempotency_key (tenant_id, idempotency_key, request_hash, created_at)
                        VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING""", tenant, k, hash)
                : jdbc.update("""
                        INSERT INTO api_idempotency_key (tenant_id, idempotency_key, request_hash, response_status,
                            response_body, created_at)
                        VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT DO NOTHING""",
                        tenant, k, hash, KNOWN_RESPONSE_STATUS, known.toString().getBytes(StandardCharsets.UTF_8));
        if (inserted == 0) {
            // the row can vanish in between only when it just expired; the retry will find the key free
            Outcome first = outcome(tenant.toString(), k).orElseThrow(() -> new IdempotentReplayException(tenant.toString(), k));
            if (!Arrays.equals(first.fingerprint(), hash)) {
                throw new IdempotencyKeyReusedException(k);
            }
            throw new IdempotentReplayException(tenant.toString(), k);
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        // a known response is stored already; the HTTP response is not this command's alone
        if (request != null && known == null) {
            request.setAttribute(SPENT, new Spent(tenant.toString(), k), RequestAttributes.SCOPE_REQUEST);
        }
        return chain.proceed();
    }

    /** The response stored under a spent key, once there is one (an imported item's is there at once). */
    public Optional<byte[]> storedResponse(String tenantId, String key) {
        return outcome(tenantId, key).filter(o -> o.status() != null).map(Outcome::body);
    }

    Optional<Outcome> outcome(String tenantId, String key) {
        return jdbc.query("""
                        SELECT request_hash, response_status, response_body, response_location FROM api_idempotency_key
                        WHERE tenant_id = ? AND idempotency_key = ?""",
                (rs, n) -> new Outcome(rs.getBytes(1), (Integer) rs.getObject(2), rs.getBytes(3), rs.getString(4)),
                tenantId, key).stream().findFirst();
    }

    void storeResponse(Spent spent, int status, byte[] body, String location) {
        jdbc.update("""
                        UPDATE api_idempotency_key SET response_status = ?, response_body = ?, response_location = ?
                        WHERE tenant_id = ? AND idempotency_key = ?""",
                status, body, location, spent.tenantId(), spent.key());
    }

    /** Keys are kept for the configured retention (never less than 24 hours), then forgotten. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void forgetExpired() {
        int removed = jdbc.update("DELETE FROM api_idempotency_key WHERE created_at < ?",
                Timestamp.from(Instant.now().minus(retention)));
        if (removed > 0) {
            log.info("Forgot {} idempotency keys older than {}", removed, retention);
        }
    }
}
