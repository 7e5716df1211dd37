package dev.referralledger.projections.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Reads an aggregate's events straight from the event store, with their global positions, for auditors.
 * An aggregate of another tenant answers an empty history, exactly like an unknown one.
 */
@Component
public class EventHistoryQueries {

    private final JdbcTemplate jdbc;
    private final ObjectReader json;

    public EventHistoryQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        // amounts are shown exactly as stored: 12000.00 stays 12000.00
        this.json = json.reader().without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    @QueryHandler
    public RecordedEventList history(AggregateHistory query) {
        List<RecordedEvent> events = jdbc.query("""
                        SELECT event_identifier, payload_type, sequence_number, global_index, time_stamp,
                               payload_revision, payload, meta_data
                        FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""",
                (rs, n) -> new RecordedEvent(
                        rs.getString("event_identifier"),
                        simpleName(rs.getString("payload_type")),
                        rs.getLong("sequence_number"),
                        rs.getLong("global_index"),
                        Instant.parse(rs.getString("time_stamp")),
                        rs.getString("payload_revision"),
                        read(rs.getBytes("payload")),
                        read(rs.getBytes("meta_data"))),
                query.aggregateId());
        boolean ours = !events.isEmpty()
                && events.stream().allMatch(e -> query.tenantId().equals(e.payload().path("tenantId").asText(null)));
        return new RecordedEventList(ours ? events : List.of());
    }

    private JsonNode read(byte[] bytes) {
        if (bytes == null) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("stored event is not JSON", e);
        }
    }

    private static String simpleName(String payloadType) {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }
}
