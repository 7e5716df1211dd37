package dev.referralledger.api.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes stored events as NDJSON, one event per line in global order, exactly as stored: payload and metadata
 * are copied byte for byte (they are JSON already), so that an import recomputes the same hashes. Rows are
 * streamed from a server-side cursor; nothing but one row is held in memory.
 */
@Component
public class EventExport {

    public static final int DEFAULT_LIMIT = 10_000;
    public static final int MAX_LIMIT = 100_000;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Which events: positions from {@code fromPosition} to {@code toPosition} (both included, either open), of one
     * tenant (the payload's {@code tenantId}) and one payload type (the class name, or its simple name).
     */
    public record Filter(Long fromPosition, Long toPosition, String tenant, String type) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public EventExport(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // a cursor needs a transaction; repeatable read keeps the page and its successor's position consistent
        transactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        transactions.setReadOnly(true);
    }

    /** The position the page after this one starts at, or null when this page reaches the end. */
    public Long nextFromPosition(Filter filter, int limit) {
        Where where = where(filter);
        List<Object> arguments = new ArrayList<>(where.arguments);
        arguments.add(limit);
        List<Long> next = jdbc.queryForList("SELECT global_index FROM domain_event_entry" + where.sql
                + " ORDER BY global_index OFFSET ? LIMIT 1", Long.class, arguments.toArray());
        return next.isEmpty() ? null : next.get(0);
    }

    /** Writes up to {@code limit} events matching the filter; answers how many. */
    public long write(Filter filter, int limit, OutputStream out) {
        Where where = where(filter);
        List<Object> arguments = new ArrayList<>(where.arguments);
        arguments.add(limit);
        long[] written = {0};
        transactions.executeWithoutResult(status -> {
            try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                json.setRootValueSeparator(null);
                jdbc.query(connection -> {
                    var statement = connection.prepareStatement("""
                            SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type,
                                   payload_type, payload_revision, time_stamp, payload, meta_data, previous_hash, event_hash
                            FROM domain_event_entry""" + where.sql + " ORDER BY global_index LIMIT ?");
                    statement.setFetchSize(1000);
                    for (int i = 0; i < arguments.size(); i++) {
                        statement.setObject(i + 1, arguments.get(i));
                    }
                    return statement;
                }, (RowCallbackHandler) rs -> {
                    try {
                        json.writeStartObject();
                        json.writeNumberField("position", rs.getLong("global_index"));
                        json.writeStringField("eventId", rs.getString("event_identifier"));
                        json.writeStringField("aggregateId", rs.getString("aggregate_identifier"));
                        json.writeStringField("aggregateType", rs.getString("type"));
                        json.writeNumberField("sequence", rs.getLong("sequence_number"));
                        json.writeStringField("type", rs.getString("payload_type"));
                        json.writeStringField("revision", rs.getString("payload_revision"));
                        json.writeStringField("timestamp", rs.getString("time_stamp"));
                        json.writeFieldName("payload");
                        json.writeRawValue(stored(rs.getBytes("payload")));
                        json.writeFieldName("metadata");
                        byte[] metadata = rs.getBytes("meta_data");
                        if (metadata == null) {
                            json.writeNull();
                        } else {
                            json.writeRawValue(stored(metadata));
                        }
                        json.writeStringField("previousHash", HexFormat.of().formatHex(rs.getBytes("previous_hash")));
                        json.writeStringField("hash", HexFormat.of().formatHex(rs.getBytes("event_hash")));
                        json.writeEndObject();
                        json.writeRaw('\n');
                        written[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return written[0];
    }

    /** Stored JSON as text; a line break would split the NDJSON line (Jackson never writes one unescaped). */
    private static String stored(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalStateException("a stored payload contains a line break and cannot be exported as NDJSON");
        }
        return text;
    }

    private record Where(String sql, List<Object> arguments) {
    }

    private static Where where(Filter filter) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        if (filter.fromPosition() != null) {
            conditions.add("global_index >= ?");
            arguments.add(filter.fromPosition());
        }
        if (filter.toPosition() != null) {
            conditions.add("global_index <= ?");
            arguments.add(filter.toPosition());
        }
        if (filter.tenant() != null) {
            // every payload names its tenant; metadata may not
            conditions.add("convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?");
            arguments.add(filter.tenant());
        }
        if (filter.type() != null) {
            conditions.add(filter.type().contains(".") ? "payload_type = ?" : "payload_type LIKE ?");
            arguments.add(filter.type().contains(".") ? filter.type() : "%." + filter.type().replace("%", "\\%").replace("_", "\\_"));
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), arguments);
    }
}
