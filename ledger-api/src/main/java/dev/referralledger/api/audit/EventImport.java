package dev.referralledger.api.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.referralledger.core.reward.Reward;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardPolicySaga;
import dev.referralledger.core.reward.RewardReady;
import dev.referralledger.core.reward.RewardVoided;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import dev.referralledger.api.projection.ProcessorPositions;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads an NDJSON export ({@link EventExport}) into an empty event store, row for row: same positions, event ids,
 * aggregates, sequence numbers, timestamps, payload and metadata bytes. The chain trigger recomputes every hash,
 * and each must equal the line's {@code hash}: a changed export is refused whole (one transaction).
 *
 * <p>Afterwards the projections' processors read the imported events like any others. The sagas must not: they
 * would act on history again (the reward policy would issue every reward twice). Their processors are stopped
 * for the import and their tokens moved past the imported events before they start again. Reward hold deadlines
 * are not events: those of rewards still held are scheduled again.</p>
 */
@Component
public class EventImport {

    private static final Logger log = LoggerFactory.getLogger(EventImport.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BATCH = 500;
    /** Processing groups of sagas: they send commands, so they skip imported history. */
    static final List<String> SAGA_GROUPS = List.of(RewardPolicySaga.PROCESSING_GROUP);

    /** Why an import was refused: an HTTP status, a stable code, and the line (1-based; 0 for none). */
    public static final class Refused extends RuntimeException {
        public final int status;
        public final String code;
        public final long line;

        Refused(int status, String code, long line, String message) {
            super(message);
            this.status = status;
            this.code = code;
            this.line = line;
        }
    }

    /** What an import stored, and the reward hold deadlines it scheduled again. */
    public record Result(long events, Long firstPosition, Long lastPosition, List<String> sagaProcessorsMovedToHead,
                         long holdDeadlinesScheduled) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventProcessingConfiguration processing;
    private final EventStorageEngine storage;
    private final ProcessorPositions positions;
    private final DeadlineManager deadlines;

    public EventImport(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                       EventProcessingConfiguration processing, EventStorageEngine storage, ProcessorPositions positions,
                       DeadlineManager deadlines) {
        this.deadlines = deadlines;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.processing = processing;
        this.storage = storage;
        this.positions = positions;
    }

    /** One parsed line: the event row as it is to be stored, and the hash it must get. */
    private record Line(long number, long position, String eventId, String aggregateId, String aggregateType,
                        long sequence, String type, String revision, String timestamp, byte[] payload,
                        byte[] metadata, byte[] hash) {
    }

    public synchronized Result importEvents(InputStream body) {
        List<EventProcessor> sagas = SAGA_GROUPS.stream().map(processing::eventProcessorByProcessingGroup)
                .flatMap(Optional::stream).toList();
        sagas.stream().map(EventProcessor::shutdownAsync).toList().forEach(java.util.concurrent.CompletableFuture::join);
        try {
            Result stored = transactions.execute(status -> store(body));
            long scheduled = 0;
            if (stored.events() > 0) {
                TrackingToken head = storage.createHeadToken();
                sagas.forEach(saga -> positions.moveTo(saga.getName(), head));
                scheduled = scheduleHoldDeadlines();
            }
            log.info("Imported {} events (positions {} to {}), {} reward hold deadlines scheduled", stored.events(),
                    stored.firstPosition(), stored.lastPosition(), scheduled);
            return new Result(stored.events(), stored.firstPosition(), stored.lastPosition(),
                    sagas.stream().map(EventProcessor::getName).toList(), scheduled);
        } finally {
            sagas.forEach(EventProcessor::start);
        }
    }

    private Result store(InputStream body) {
        // writers wait until the import is done, and an import never lands in a ledger that has events
        jdbc.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE");
        if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM domain_event_entry)", Boolean.class))) {
            throw new Refused(409, "EVENT_STORE_NOT_EMPTY", 0,
                    "Events can only be imported into an empty ledger; this one has events.");
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        List<Line> batch = new ArrayList<>(BATCH);
        long number = 0;
        long count = 0;
        Long first = null;
        long last = 0;
        try {
            String text;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                Line line = parse(number, text);
                if (line.position <= last) {
                    throw new Refused(400, "POSITION_OUT_OF_ORDER", number, "Line " + number + ": position "
                            + line.position + " does not follow " + last + "; lines must be in ascending position.");
                }
                first = first == null ? line.position : first;
                last = line.position;
                batch.add(line);
                count++;
                if (batch.size() == BATCH) {
                    insert(batch);
                    batch.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!batch.isEmpty()) {
            insert(batch);
        }
        if (count > 0) {
            // new events continue after the imported ones
            jdbc.queryForObject("SELECT setval(pg_get_serial_sequence('domain_event_entry', 'global_index'), ?)",
                    Long.class, last);
        }
        return new Result(count, first, count == 0 ? null : last, List.of(), 0);
    }

    /**
     * The end of hold of every imported reward that is neither ready nor voided: deadlines live in
     * {@code scheduled_tasks}, not in events, so the import would otherwise leave such rewards held for ever. A
     * hold that ended already fires at once; the reward's own handler makes it READY only if it is still HELD.
     */
    private long scheduleHoldDeadlines() {
        List<Map<String, Object>> held = jdbc.queryForList("""
                SELECT i.aggregate_identifier, i.type, convert_from(i.payload, 'UTF8')::jsonb ->> 'heldUntil' AS held_until
                FROM domain_event_entry i
                WHERE i.payload_type = ? AND NOT EXISTS (
                    SELECT 1 FROM domain_event_entry e WHERE e.aggregate_identifier = i.aggregate_identifier
                      AND e.payload_type IN (?, ?))""",
                RewardIssued.class.getName(), RewardReady.class.getName(), RewardVoided.class.getName());
        for (Map<String, Object> reward : held) {
            deadlines.schedule(Instant.parse((String) reward.get("held_until")), Reward.HOLD_ENDS, null,
                    new AggregateScopeDescriptor((String) reward.get("type"), reward.get("aggregate_identifier")));
        }
        return held.size();
    }

    private void insert(List<Line> batch) {
        try {
            jdbc.batchUpdate("""
                    INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
                        type, time_stamp, payload_type, payload_revision, payload, meta_data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (statement, line) -> {
                statement.setLong(1, line.position);
                statement.setString(2, line.eventId);
                statement.setString(3, line.aggregateId);
                statement.setLong(4, line.sequence);
                statement.setString(5, line.aggregateType);
                statement.setString(6, line.timestamp);
                statement.setString(7, line.type);
                statement.setString(8, line.revision);
                statement.setBytes(9, line.payload);
                statement.setBytes(10, line.metadata);
            });
        } catch (org.springframework.dao.DataAccessException e) {
            // which line: the batch is refused whole, so name its first line and PostgreSQL's reason
            String reason = e.getMostSpecificCause().getMessage();
            throw new Refused(400, "EVENT_REFUSED", batch.get(0).number, "Lines " + batch.get(0).number + " to "
                    + batch.get(batch.size() - 1).number + " cannot be stored: " + reason);
        }
        Map<Long, byte[]> stored = new HashMap<>();
        jdbc.query("SELECT global_index, event_hash FROM domain_event_entry WHERE global_index BETWEEN ? AND ?",
                rs -> {
                    stored.put(rs.getLong(1), rs.getBytes(2));
                }, batch.get(0).position, batch.get(batch.size() - 1).position);
        for (Line line : batch) {
            if (!Arrays.equals(stored.get(line.position), line.hash)) {
                throw new Refused(422, "EVENT_HASH_MISMATCH", line.number, "Line " + line.number + " (position "
                        + line.position + ", aggregate " + line.aggregateId + ", sequence " + line.sequence
                        + "): the event does not hash to its 'hash'; the export was changed. Nothing was imported.");
            }
        }
    }

    private static final List<String> REQUIRED = List.of("position", "eventId", "aggregateId", "sequence", "type",
            "timestamp", "payload", "hash");

    /** Reads one line; payload and metadata are kept as the exact text of the line, so their bytes are unchanged. */
    private static Line parse(long number, String text) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(number, "line", "a line must be one JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken token = json.nextToken();
                if (name.equals("payload") || name.equals("metadata")) {
                    if (token == JsonToken.VALUE_NULL) {
                        fields.put(name, null);
                        continue;
                    }
                    int start = (int) json.currentTokenLocation().getCharOffset();
                    json.skipChildren();
                    int end = (int) json.currentLocation().getCharOffset();
                    fields.put(name, text.substring(start, end).getBytes(StandardCharsets.UTF_8));
                } else if (token.isScalarValue()) {
                    fields.put(name, token == JsonToken.VALUE_NULL ? null
                            : token.isNumeric() ? (Object) json.getLongValue() : json.getText());
                } else {
                    throw invalid(number, name, "'" + name + "' must be a string or a number");
                }
            }
        } catch (IOException e) {
            throw invalid(number, "line", "line " + number + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        for (String name : REQUIRED) {
            if (fields.get(name) == null) {
                throw invalid(number, name, "line " + number + ": '" + name + "' is required");
            }
        }
        try {
            return new Line(number, number(fields, "position"), (String) fields.get("eventId"),
                    (String) fields.get("aggregateId"), (String) fields.get("aggregateType"), number(fields, "sequence"),
                    (String) fields.get("type"), (String) fields.get("revision"), (String) fields.get("timestamp"),
                    (byte[]) fields.get("payload"), (byte[]) fields.get("metadata"),
                    HexFormat.of().parseHex((String) fields.get("hash")));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw invalid(number, "line", "line " + number + " has a field of the wrong type or a hash that is not hex");
        }
    }

    private static long number(Map<String, Object> fields, String name) {
        return ((Number) fields.get(name)).longValue();
    }

    private static Refused invalid(long number, String field, String message) {
        return new Refused(400, "INVALID_EXPORT_LINE", number, message + " (field '" + field + "')");
    }
}
