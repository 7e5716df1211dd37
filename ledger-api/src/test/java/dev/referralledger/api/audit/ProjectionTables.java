package dev.referralledger.api.audit;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every projection table of a ledger, row by row in a stable order, for comparing two ledgers (an import with its
 * source, a rebuild with the original). Tables are found in the schema, so a new projection is compared without
 * being listed here; only the tables that events do not determine are left out, each for the reason given.
 */
public final class ProjectionTables {

    /** Tables that are not projections of the events. */
    public static final Map<String, String> NOT_PROJECTIONS = Map.ofEntries(
            Map.entry("domain_event_entry", "the events themselves (compared separately)"),
            Map.entry("snapshot_event_entry", "aggregate snapshots: a cache of the command side, not exported"),
            Map.entry("token_entry", "the processors' positions"),
            Map.entry("saga_entry", "saga state: sagas do not replay imported history"),
            Map.entry("association_value_entry", "saga state: sagas do not replay imported history"),
            Map.entry("scheduled_tasks", "reward hold deadlines: scheduling state, not a projection (an import schedules the held ones again)"),
            Map.entry("tenant", "tenants and API keys are configuration, not events"),
            Map.entry("api_key", "tenants and API keys are configuration, not events"),
            Map.entry("api_idempotency_key", "answers to requests, kept for retries"),
            Map.entry("command_lookup", "written by the command side in the command's transaction, not by a projection"),
            Map.entry("command_counter", "written by the command side in the command's transaction, not by a projection"),
            Map.entry("advocate_referral_rate", "written by the command side in the command's transaction, not by a projection"),
            Map.entry("event_checkpoint", "the sealer's checkpoints over positions"),
            Map.entry("event_seal_candidate", "the sealer's state"),
            Map.entry("flyway_schema_history", "migrations applied, with their times"),
            Map.entry("person_key", "the keys of personal data: exported and imported on their own (GET /admin/person-keys)"));

    /** Columns whose value is not a function of the events: none. */
    public static final Map<String, String> NOT_FROM_EVENTS = Map.of();

    private ProjectionTables() {
    }

    public static Set<String> names(JdbcTemplate jdbc) {
        return new java.util.TreeSet<>(jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'""", String.class)
                .stream().filter(t -> !NOT_PROJECTIONS.containsKey(t)).toList());
    }

    /** Each projection table's rows, ordered by their text form. */
    public static Map<String, List<Map<String, Object>>> rows(JdbcTemplate jdbc) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String table : names(jdbc)) {
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM " + table + " t ORDER BY t::text");
            // arrays compare by identity: compare their contents
            rows.forEach(row -> row.keySet().removeIf(NOT_FROM_EVENTS::containsKey));
            rows.sort(java.util.Comparator.comparing(Object::toString));
            rows.forEach(row -> row.replaceAll((column, value) -> {
                try {
                    if (value instanceof byte[] bytes) {
                        return java.util.HexFormat.of().formatHex(bytes);
                    }
                    return value instanceof Array a ? List.of((Object[]) a.getArray()) : value;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
            tables.put(table, rows);
        }
        return tables;
    }
}
