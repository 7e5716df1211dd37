package dev.referralledger.projections.report;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V15's backfill of {@code attribution_entry.recorded_at}: run again on rows with a wrong value, it takes each
 * row's event timestamp, whatever the number of fraction digits of the stored text.
 */
class RecordedAtBackfillTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());

    @Test
    void existingRowsTakeTheirEventsTimestampCastNotComparedAsText() throws IOException {
        List<String> updates = Arrays.stream(migration().split(";"))
                .map(String::strip)
                .map(s -> s.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip())
                .filter(s -> s.startsWith("UPDATE"))
                .toList();
        assertThat(updates).hasSize(2);
        String tenant = "t-" + UUID.randomUUID();
        String nanos = "2026-11-21T17:02:22.123456789Z";
        String millis = "2026-11-21T17:02:22.9Z";
        String[] ids = {UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        String[] stamps = {nanos, millis};
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).executeWithoutResult(tx -> {
            for (int i = 0; i < 2; i++) {
                jdbc.update("""
                        INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                            time_stamp, payload_type, payload) VALUES (?, ?, 0, 'Referral', ?, 'x.ReferralConverted', ?)""",
                        UUID.randomUUID().toString(), ids[i], stamps[i], "{}".getBytes(StandardCharsets.UTF_8));
                jdbc.update("""
                        INSERT INTO attribution_entry (source_id, source_sequence, entry_type, tenant_id, day,
                            occurred_at, global_position, recorded_at)
                        VALUES (?, 0, 'CONVERSION', ?, DATE '2020-01-01', ?, 1, ?)""", ids[i], tenant,
                        Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")),
                        Timestamp.from(Instant.parse("1999-01-01T00:00:00Z")));
            }
            updates.forEach(jdbc::update);
            assertThat(recorded(ids[0])).isEqualTo(Instant.parse("2026-11-21T17:02:22.123457Z"));
            assertThat(recorded(ids[1])).as("a string comparison would put .9 after .123456789; the cast does not")
                    .isEqualTo(Instant.parse(millis)).isAfter(recorded(ids[0]));
            tx.setRollbackOnly();
        });
    }

    private Instant recorded(String id) {
        return jdbc.queryForObject("SELECT recorded_at FROM attribution_entry WHERE source_id = ?", Timestamp.class, id)
                .toInstant();
    }

    private static String migration() throws IOException {
        try (InputStream in = RecordedAtBackfillTest.class.getResourceAsStream(
                "/db/migration/V15__attribution_recorded_at.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
