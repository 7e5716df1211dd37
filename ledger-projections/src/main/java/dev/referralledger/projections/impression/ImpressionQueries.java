package dev.referralledger.projections.impression;

import dev.referralledger.projections.TenantRow;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Reads {@code impression}. */
@Component
public class ImpressionQueries {

    public record FindImpression(String tenantId, String impressionId) {
    }

    public record ImpressionView(String id, String programId, String advocateId, String referralCode, String source,
                                 String placement, String landingUrl, String userAgent, String clientAddressHash,
                                 Map<String, Object> metadata, Instant occurredAt, Instant recordedAt) {
    }

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ImpressionQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** {@link TenantRow}: by the primary key alone, the tenant compared on the row. */
    public static final String FIND = "SELECT * FROM impression WHERE impression_id = ?";

    @QueryHandler
    public ImpressionView find(FindImpression q) {
        return TenantRow.find(jdbc, FIND, q.impressionId(), q.tenantId(), (rs, n) -> {
            try {
                return new ImpressionView(rs.getString("impression_id"), rs.getString("program_id"),
                        rs.getString("advocate_id"), rs.getString("referral_code"), rs.getString("source"),
                        rs.getString("placement"), rs.getString("landing_url"), rs.getString("user_agent"),
                        rs.getString("client_address_hash"), json.readValue(rs.getString("metadata"), OBJECT),
                        rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant());
            } catch (IOException e) {
                throw new SQLException("unreadable impression metadata", e);
            }
        });
    }
}
