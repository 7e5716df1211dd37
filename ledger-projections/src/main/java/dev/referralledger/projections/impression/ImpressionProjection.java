package dev.referralledger.projections.impression;

import dev.referralledger.projections.BatchWrites;
import dev.referralledger.projections.Copy;
import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.projections.TokenPositions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.impression.ImpressionRecorded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns {@code impression}: one row per scan or click. Reads ImpressionRecorded. Impressions are the most
 * frequent event, so the rows of one processor batch go to the database as one JDBC batch (a rebuild lane's by
 * {@code COPY}).
 */
@Component
@ProjectionTables({"impression"})
@ProcessingGroup(ImpressionProjection.NAME)
public class ImpressionProjection {

    public static final String NAME = "impressions";
    private static final String ROWS = ImpressionProjection.class.getName() + ".rows";
    private static final String INSERT = """
            INSERT INTO impression (impression_id, tenant_id, program_id, advocate_id, referral_code, source, placement,
                landing_url, user_agent, client_address_hash, metadata, occurred_at, recorded_at, global_position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?,
                -- the event's own position: a processor's token is ahead of it when it commits late
                COALESCE((SELECT d.global_index FROM domain_event_entry d WHERE d.event_identifier = ?), ?))
            ON CONFLICT (impression_id) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ImpressionProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ImpressionRecorded e, @Timestamp Instant at, @MessageIdentifier String eventId, TrackingToken token)
            throws JsonProcessingException {
        Object[] row = {e.impressionId(), e.tenantId(), e.programId(), e.advocateId(), e.referralCode(),
                e.source().name(), e.placement(), e.landingUrl(), e.userAgent(), e.clientAddressHash(),
                json.writeValueAsString(e.metadata() == null ? Map.of() : e.metadata()), java.sql.Timestamp.from(e.occurredAt()),
                java.sql.Timestamp.from(at), eventId, token == null ? -1 : token.position().orElse(-1)};
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(INSERT, row);
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<Object[]> rows = unitOfWork.getOrComputeResource(ROWS, key -> {
            List<Object[]> created = new ArrayList<>();
            BatchWrites.register(unitOfWork, () -> {
                if (TokenPositions.exactInThisThread()) {
                    copy(created);
                } else {
                    jdbc.batchUpdate(INSERT, created);
                }
                created.clear();
            }, true);
            return created;
        });
        rows.add(row);
    }

    /**
     * A rebuild lane's rows, new to its copy, by {@link Copy}: the token is the event's own position there, so the
     * row takes it instead of the event id the lookup needs.
     */
    private void copy(List<Object[]> rows) {
        List<Object[]> copied = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] values = java.util.Arrays.copyOf(row, 14);
            values[13] = row[14];
            copied.add(values);
        }
        Copy.rows(jdbc, "impression", """
                impression_id, tenant_id, program_id, advocate_id, referral_code, source, placement, landing_url,
                user_agent, client_address_hash, metadata, occurred_at, recorded_at, global_position""", copied);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE impression");
    }
}
