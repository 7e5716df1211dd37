package dev.referralledger.projections.storage;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads PostgreSQL's catalog to prove the storage traps are avoided. */
class EventStoreSchemaTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());

    @Test
    void payloadsAndMetadataAreByteaNeverLargeObjects() {
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema()
                  AND table_name IN ('domain_event_entry', 'snapshot_event_entry', 'token_entry')
                  AND column_name IN ('payload', 'meta_data', 'token')""");
        assertThat(columns).hasSize(5);
        assertThat(columns).allSatisfy(c -> assertThat(c.get("data_type")).isEqualTo("bytea"));
        Integer oidColumns = jdbc.queryForObject("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type = 'oid'""", Integer.class);
        assertThat(oidColumns).isZero();
    }

    @Test
    void globalIndexIsAnIdentityThatCountsUpByOneWithoutCache() {
        Map<String, Object> sequence = jdbc.queryForMap("""
                SELECT s.increment_by, s.cache_size, s.start_value
                FROM pg_sequences s
                WHERE s.schemaname = current_schema()
                  AND s.sequencename = pg_get_serial_sequence('domain_event_entry', 'global_index')::regclass::text""");
        assertThat(((Number) sequence.get("increment_by")).longValue()).isEqualTo(1);
        assertThat(((Number) sequence.get("cache_size")).longValue()).isEqualTo(1);
        String identity = jdbc.queryForObject("""
                SELECT is_identity FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'domain_event_entry' AND column_name = 'global_index'""",
                String.class);
        assertThat(identity).isEqualTo("YES");
    }

    @Test
    void anAggregateCannotStoreTwoEventsWithTheSameSequence() {
        Integer unique = jdbc.queryForObject("""
                SELECT count(*) FROM pg_indexes WHERE tablename = 'domain_event_entry'
                  AND indexdef LIKE '%UNIQUE%(aggregate_identifier, sequence_number)%'""", Integer.class);
        assertThat(unique).isEqualTo(1);
    }
}
