package dev.referralledger.api.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.referralledger.api.config.ImportProperties;
import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.RequestIds;
import dev.referralledger.api.http.RequestMetadata;
import dev.referralledger.api.idempotency.IdempotencyKeyReusedException;
import dev.referralledger.api.idempotency.IdempotencyKeys;
import dev.referralledger.api.idempotency.IdempotentReplayException;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.LedgerRuleException;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imports referrals in bulk: every item is one {@link CreateReferral} with channel IMPORT and its own
 * idempotency key, spent in the same transaction as the referral's events. An item that fails is reported
 * and the others go on; an item whose key was spent before is reported DUPLICATE with the referral it
 * created, so running the same import again creates nothing.
 *
 * <p>Items are handled by a small pool of threads shared by every import of this process (most of an item's
 * time is spent waiting for PostgreSQL). Each thread takes a lane of the import in the order given, and items
 * that refer the same person (same email, else same phone) share a lane, so that the earlier row keeps the
 * credit as the already-referred rule wants. Threads run without the HTTP request's context, so each command
 * carries all of its metadata itself.</p>
 */
@Component
public class ReferralImport {

    private static final Logger log = LoggerFactory.getLogger(ReferralImport.class);
    /** Spent keys are namespaced, so an item's key never collides with a request's Idempotency-Key. */
    static final String KEY_PREFIX = "import:";
    static final int MAX_KEY = IdempotencyKeys.MAX_KEY - KEY_PREFIX.length();
    private static final int DEADLOCK_RETRIES = 3;
    private static final int LOGGED_FAILURES = 10;

    public enum Status { CREATED, DUPLICATE, FAILED }

    /** One failure of an item, in the shape of a problem's {@code errors}; {@code field} is absent for the whole item. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ImportItemError(String field, String code, String message, Map<String, Object> details) {
        static ImportItemError of(String field, String code, String message) {
            return new ImportItemError(field, code, message, null);
        }
    }

    /** @param index the item's position: in the array, or among the non-blank NDJSON lines, from 0 */
    public record ImportItemResult(int index, String idempotencyKey, Status status, String referralId, List<ImportItemError> errors) {
    }

    public record ImportReport(int total, int created, int duplicates, int failed, List<ImportItemResult> results) {
    }

    /** Who imports: copied onto every item's command, as the HTTP request would have done. */
    private record Origin(String tenantId, String apiKeyId, String requestId, String correlationId) {
    }

    /** The item's transaction lost a deadlock (or a serialization conflict): worth another try. */
    private static final class Deadlocked extends RuntimeException {
        Deadlocked(Throwable cause) {
            super(cause);
        }
    }

    private final CommandGateway commands;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final ObjectReader items;
    private final ObjectMapper canonical;
    private final ExecutorService workers;
    private final int threads;

    public ReferralImport(CommandGateway commands, IdempotencyKeys keys, ObjectMapper json, ImportProperties properties) {
        this.commands = commands;
        this.keys = keys;
        this.json = json;
        this.items = json.readerFor(ReferralRequests.Create.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // the fingerprint must not depend on how an item was written: field order, spacing, array or NDJSON
        this.canonical = JsonMapper.builder().addModule(new JavaTimeModule())
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
        this.threads = Math.max(1, properties.threads());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ledger-import-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Imports every item of {@code body}; refused as a whole ({@link ImportBody.Refused}) only before anything is written. */
    ImportReport run(Caller caller, ImportBody.Format format, byte[] body, HttpServletRequest request) {
        long started = System.nanoTime();
        List<ImportBody.Item> split = ImportBody.split(body, format, json.getFactory());
        Map<String, Integer> firstWithKey = new HashMap<>();
        int[] repeats = new int[split.size()];
        for (int i = 0; i < split.size(); i++) {
            String key = split.get(i).key();
            repeats[i] = key == null ? -1 : firstWithKey.merge(key, i, (first, me) -> first);
        }
        Origin origin = new Origin(caller.tenantId(), caller.apiKeyId(), text(request.getAttribute(RequestIds.REQUEST_ID)),
                text(request.getAttribute(RequestIds.CORRELATION_ID)));

        ImportItemResult[] results = new ImportItemResult[split.size()];
        AtomicInteger unexpected = new AtomicInteger();
        int lanes = Math.min(threads, results.length);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int w = 0; w < lanes; w++) {
            int lane = w;
            running.add(CompletableFuture.runAsync(() -> {
                // each lane takes its items in the order given; items naming the same person share a lane
                for (int i = 0; i < results.length; i++) {
                    if (laneOf(split.get(i), i, lanes) == lane) {
                        results[i] = safely(i, split.get(i), repeats[i], body, origin, unexpected);
                    }
                }
            }, workers));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();

        List<ImportItemResult> list = List.of(results);
        int created = (int) list.stream().filter(r -> r.status() == Status.CREATED).count();
        int duplicates = (int) list.stream().filter(r -> r.status() == Status.DUPLICATE).count();
        log.info("Import of {} referrals for tenant {}: {} created, {} duplicates, {} failed in {} ms ({} threads)",
                list.size(), caller.tenantId(), created, duplicates, list.size() - created - duplicates,
                (System.nanoTime() - started) / 1_000_000, lanes);
        return new ImportReport(list.size(), created, duplicates, list.size() - created - duplicates, list);
    }

    /** One item never fails the import: whatever escapes is that item's INTERNAL_ERROR. */
    private ImportItemResult safely(int index, ImportBody.Item item, int firstWithKey, byte[] body, Origin origin,
                              AtomicInteger unexpected) {
        try {
            return item(index, item, firstWithKey, body, origin, unexpected);
        } catch (RuntimeException e) {
            log.error("Unexpected failure importing item {} of request {}", index, origin.requestId(), e);
            return failed(index, item.key(), ImportItemError.of(null, "INTERNAL_ERROR", "Something went wrong; nothing was "
                    + "written for this item. Quote the requestId when reporting it."));
        }
    }

    private ImportItemResult item(int index, ImportBody.Item item, int firstWithKey, byte[] body, Origin origin,
                            AtomicInteger unexpected) {
        if (item.flaw() == ImportBody.Flaw.MALFORMED_JSON) {
            return failed(index, null, ImportItemError.of(null, "MALFORMED_JSON", "The line is not one valid JSON object."));
        }
        if (item.flaw() == ImportBody.Flaw.NOT_AN_OBJECT) {
            return failed(index, null, ImportItemError.of(null, "INVALID_FORMAT", "Each item must be a JSON object."));
        }
        ReferralRequests.Create in;
        try {
            in = items.readValue(body, item.start(), item.end() - item.start());
        } catch (UnrecognizedPropertyException e) {
            return failed(index, item.key(), ImportItemError.of(ProblemHandler.path(e), "UNKNOWN_FIELD",
                    "Unknown field '" + e.getPropertyName() + "'."));
        } catch (MismatchedInputException e) {
            return failed(index, item.key(), ImportItemError.of(ProblemHandler.path(e), "INVALID_FORMAT",
                    "The value has the wrong type or format."));
        } catch (JsonMappingException e) {
            return failed(index, item.key(), ImportItemError.of(ProblemHandler.path(e), "INVALID_FORMAT",
                    "The value cannot be read."));
        } catch (Exception e) {
            return failed(index, item.key(), ImportItemError.of(null, "MALFORMED_JSON", "The item is not valid JSON."));
        }
        String key = in.idempotencyKey();
        List<ImportItemError> refused = new ArrayList<>();
        if (key == null || key.isBlank()) {
            refused.add(ImportItemError.of(ImportBody.KEY_FIELD, "REQUIRED", "Each imported referral needs its own idempotencyKey."));
        } else if (key.length() > MAX_KEY) {
            refused.add(ImportItemError.of(ImportBody.KEY_FIELD, "TOO_LONG", "idempotencyKey must be at most " + MAX_KEY + " characters."));
        } else if (!FieldRules.storable(key)) {
            refused.add(ImportItemError.of(ImportBody.KEY_FIELD, "INVALID_CHARACTERS", "idempotencyKey must not contain NUL characters."));
        } else if (firstWithKey >= 0 && firstWithKey != index) {
            refused.add(ImportItemError.of(ImportBody.KEY_FIELD, "DUPLICATE_KEY_IN_IMPORT",
                    "Item " + firstWithKey + " of this import has the same idempotencyKey."));
        }
        if (in.channel() != null && !Channel.IMPORT.name().equals(in.channel().trim().toUpperCase(Locale.ROOT))) {
            refused.add(ImportItemError.of("channel", "IMPORT_CHANNEL_ONLY", "Imported referrals have channel IMPORT; "
                    + "leave channel out (keep the source system's channel in metadata)."));
        }
        if (!refused.isEmpty()) {
            return new ImportItemResult(index, key, Status.FAILED, null, List.copyOf(refused));
        }
        String referralId = UUID.randomUUID().toString();
        CreateReferral command = new CreateReferral(referralId, origin.tenantId(), in.referrer(), in.referred(),
                in.contacts(), in.agentId(), Channel.IMPORT.name(), in.type(), in.notes(), in.expectedValue(),
                in.currency(), in.metadata(), in.programId(), in.referralCode(), in.impressionId(), in.introduction(),
                in.receivedAt());
        Map<String, Object> meta = new HashMap<>();
        meta.put(RequestMetadata.TENANT_ID, origin.tenantId());
        putIfPresent(meta, RequestMetadata.API_KEY_ID, origin.apiKeyId());
        putIfPresent(meta, RequestMetadata.REQUEST_ID, origin.requestId());
        putIfPresent(meta, RequestMetadata.CORRELATION_ID, origin.correlationId());
        meta.put(RequestMetadata.IDEMPOTENCY_KEY, KEY_PREFIX + key);
        meta.put(RequestMetadata.REQUEST_FINGERPRINT, fingerprint(in));
        meta.put(RequestMetadata.IDEMPOTENCY_RESPONSE, "{\"referralId\":\"" + referralId + "\"}");
        for (int attempt = 1; ; attempt++) {
            try {
                return send(index, key, command, meta, origin, unexpected);
            } catch (Deadlocked e) {
                if (attempt == DEADLOCK_RETRIES) {
                    return failed(index, key, ImportItemError.of(null, "CONFLICT_RETRY", "The item collided with a "
                            + "concurrent one; import it again."));
                }
            }
        }
    }

    private ImportItemResult send(int index, String key, CreateReferral command, Map<String, Object> meta, Origin origin,
                            AtomicInteger unexpected) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(meta));
            return new ImportItemResult(index, key, Status.CREATED, command.referralId(), List.of());
        } catch (IdempotentReplayException e) {
            return duplicate(index, key, origin);
        } catch (IdempotencyKeyReusedException e) {
            return failed(index, key, ImportItemError.of(ImportBody.KEY_FIELD, e.code(), "idempotencyKey was used before "
                    + "for a different referral; nothing was imported for this item."));
        } catch (InvalidCommandException e) {
            return new ImportItemResult(index, key, Status.FAILED, null, e.violations().stream()
                    .map(v -> ImportItemError.of(v.field(), v.code(), v.message())).toList());
        } catch (ConflictException e) {
            return failed(index, key, new ImportItemError(null, e.code(), e.getMessage(), e.details()));
        } catch (LedgerRuleException e) {
            return failed(index, key, ImportItemError.of(null, e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            String state = sqlState(e);
            if (state != null && (state.equals("40P01") || state.equals("40001"))) {
                throw new Deadlocked(e);
            }
            if (state != null && state.startsWith("22")) {
                return failed(index, key, ImportItemError.of(null, "INVALID_VALUE", "A value cannot be stored as given."));
            }
            if (unexpected.incrementAndGet() <= LOGGED_FAILURES) {
                log.error("Unexpected failure importing item {} of request {}", index, origin.requestId(), e);
            }
            return failed(index, key, ImportItemError.of(null, "INTERNAL_ERROR", "Something went wrong; nothing was "
                    + "written for this item. Quote the requestId when reporting it."));
        }
    }

    /** The key was spent by an earlier import of the same item: name the referral it created. */
    private ImportItemResult duplicate(int index, String key, Origin origin) {
        return keys.storedResponse(origin.tenantId(), KEY_PREFIX + key).map(stored -> {
            try {
                String referralId = json.readTree(stored).path("referralId").asText(null);
                return new ImportItemResult(index, key, Status.DUPLICATE, referralId, List.<ImportItemError>of());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable stored import response", e);
            }
        }).orElseGet(() -> failed(index, key, ImportItemError.of(ImportBody.KEY_FIELD, "IDEMPOTENCY_KEY_IN_PROGRESS",
                "Another request is importing this item right now; import it again shortly.")));
    }

    /** SHA-256 of the item as read (not as written), so the same item sent as NDJSON or in an array matches. */
    private String fingerprint(ReferralRequests.Create in) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("POST " + RequestIds.IMPORT_PATH + " item\n").getBytes(StandardCharsets.UTF_8));
            digest.update(canonical.writeValueAsBytes(in));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int laneOf(ImportBody.Item item, int index, int lanes) {
        return item.person() == null ? index % lanes : Math.floorMod(item.person().hashCode(), lanes);
    }

    private static ImportItemResult failed(int index, String key, ImportItemError error) {
        return new ImportItemResult(index, key, Status.FAILED, null, List.of(error));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static void putIfPresent(Map<String, Object> meta, String key, String value) {
        if (value != null) {
            meta.put(key, value);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
