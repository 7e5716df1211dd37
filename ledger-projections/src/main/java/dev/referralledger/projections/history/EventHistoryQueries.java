package dev.referralledger.projections.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Reads an aggregate's events straight from the event store, with their global positions, for auditors.
 * An aggregate of another tenant answers an empty history, exactly like an unknown one. Personal data, stored
 * encrypted, is shown decrypted, or as the erasure marker once the person was erased.
 */
@Component
public class EventHistoryQueries {

    private final JdbcTemplate jdbc;
    private final ObjectReader json;
    private final ObjectMapper mapper;
    private final SealedPersonalData personalData;

    public EventHistoryQueries(JdbcTemplate jdbc, ObjectMapper json, SealedPersonalData personalData) {
        this.jdbc = jdbc;
        this.mapper = json;
        this.personalData = personalData;
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
                        open(read(rs.getBytes("payload"))),
                        read(rs.getBytes("meta_data"))),
                query.aggregateId());
        boolean ours = !events.isEmpty()
                && events.stream().allMatch(e -> query.tenantId().equals(e.payload().path("tenantId").asText(null)));
        return new RecordedEventList(ours ? events : List.of());
    }

    /** Shows sealed personal data decrypted, or as the erasure marker: never the ciphertext. */
    private JsonNode open(JsonNode node) {
        if (node.isTextual() && node.asText().startsWith(SealedPersonalData.PREFIX)) {
            return personalData.open(node.asText(), mapper);
        }
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(f -> f.setValue(open(f.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, open(array.get(i)));
            }
        }
        return node;
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
