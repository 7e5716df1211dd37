package dev.referralledger.api.projection;

import dev.referralledger.api.projection.ProjectionCatalog.Projection;
import dev.referralledger.api.projection.SideTables.Lane;
import dev.referralledger.api.projection.SideTables.Replayed;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds projections from the first event without downtime.
 *
 * <ol>
 *     <li>REPLAYING: the events up to the newest one are applied to copies of the projections' tables
 *     ({@link SideTables}), which then get the indexes left out while they were filled; the live projections keep
 *     running and the API keeps answering from them.</li>
 *     <li>CATCHING_UP: the projections' event processors are stopped and the copies take the events written
 *     meanwhile, up to the newest one.</li>
 *     <li>SWITCHING: in one transaction each live table is replaced by its copy (the analysts' views are pointed
 *     at the copy, the live table is dropped, the copy moves into schema public under its name) and each
 *     processor's position is set to the last event applied: readers see the old table until that transaction
 *     commits and the new one after, never a mix, and the switch costs the same for ten rows or ten million.
 *     The processors start again and take over from there.</li>
 * </ol>
 *
 * <p>A failure before the switch leaves the live tables and positions as they were. Run it on one node: other
 * nodes' processors must be stopped while it runs.</p>
 */
@Component
public class ProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);

    /** What a rebuild did. */
    public record Result(long events, double seconds, long eventsPerSecond, List<String> processors,
                         double replaySeconds, double readySeconds, double pauseSeconds, double switchSeconds) {
    }

    /** A rebuild that stopped before its switch: the live tables and positions were left as they were. */
    public record Failure(String failed, java.time.Instant at) {
    }

    /** How long the switch waits for a query that reads a live table before it copies the rows instead. */
    static final String SWAP_LOCK_TIMEOUT = "5s";

    /**
     * How long the switch waits for a table's lock before PostgreSQL looks for a deadlock, which is also when it
     * cancels an autovacuum holding that table (PostgreSQL's default: 1 s). The live tables are often being
     * vacuumed when a rebuild ends (the processors wrote them during the replay): the switch waited a whole second
     * for each such table (1–2 s of a rebuild's pause in the benchmark's runs).
     */
    static final String SWAP_DEADLOCK_TIMEOUT = "20ms";

    private final ProjectionCatalog catalog;
    private final SideTables side;
    private final ProjectionWork work;
    private final ProcessorPositions positions;
    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;

    public ProjectionRebuild(ProjectionCatalog catalog, SideTables side, ProjectionWork work, ProcessorPositions positions,
                             TransactionManager transactions, JdbcTemplate jdbc) {
        this.catalog = catalog;
        this.side = side;
        this.work = work;
        this.positions = positions;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** Every projection, in one pass over the events. */
    public Result rebuildAll() throws InterruptedException {
        return rebuild(catalog.projections().keySet());
    }

    /** Claims the projections, or refuses at once while another rebuild or verification runs. */
    public ProjectionWork.Activity begin(Collection<String> names) {
        return work.begin("REBUILD", names, side.head());
    }

    public Result rebuild(Collection<String> names) throws InterruptedException {
        return rebuild(names, begin(names));
    }

    /** Runs a rebuild claimed by {@link #begin}; releases the claim when done. */
    public Result rebuild(Collection<String> names, ProjectionWork.Activity activity) throws InterruptedException {
        Object outcome = null;
        try {
            Result result = run(names, activity);
            outcome = result;
            return result;
        } catch (RuntimeException | InterruptedException e) {
            outcome = new Failure(String.valueOf(e.getMessage()), java.time.Instant.now());
            throw e;
        } finally {
            work.end(names, outcome);
        }
    }

    /** Starts a rebuild on a thread of its own and answers at once; its progress shows in the status. */
    public void startInBackground(Collection<String> names) {
        ProjectionWork.Activity activity = begin(names);
        Thread thread = new Thread(() -> {
            try {
                rebuild(names, activity);
            } catch (Exception e) {
                log.error("Rebuilding projections {} failed; the live tables are unchanged", names, e);
            }
        }, "projection-rebuild");
        thread.setDaemon(true);
        thread.start();
    }

    private Result run(Collection<String> names, ProjectionWork.Activity activity) throws InterruptedException {
        long started = System.nanoTime();
        SideTables.Copies copies = side.create("rebuild", names);
        Map<Projection, String> schemas = copies.schemas();
        List<Lane> lanes = copies.lanes();
        List<EventProcessor> stopped = new ArrayList<>();
        try {
            Replayed replayed = side.replay(lanes, null, activity.total(), activity.read());
            long readyStart = System.nanoTime();
            side.makeReady(schemas); // while the live projections still run
            long replayEnd = System.nanoTime();

            activity.phase("CATCHING_UP");
            stopped.addAll(catalog.stop(names));
            Replayed rest = side.replay(lanes, replayed.lastToken(), side.head(), activity.read());
            TrackingToken last = rest.lastToken();

            activity.phase("SWITCHING");
            long switchStart = System.nanoTime();
            try {
                transactions.executeInTransaction(() -> {
                    switchSettings();
                    movePositions(schemas.keySet(), last);
                    schemas.forEach((projection, schema) -> projection.tables().forEach(table -> swap(schema, table)));
                });
            } catch (RuntimeException e) {
                if (!heldByReader(e)) {
                    throw e;
                }
                // a long query keeps a live table: copy the rows instead, which never waits for readers
                log.warn("A query held a live table (for more than {}, or in a deadlock with the switch); switching by "
                        + "copying the rows", SWAP_LOCK_TIMEOUT);
                transactions.executeInTransaction(() -> {
                    movePositions(schemas.keySet(), last);
                    schemas.forEach((projection, schema) -> {
                        List<String> tables = projection.tables();
                        for (int i = tables.size() - 1; i >= 0; i--) {
                            jdbc.update("DELETE FROM public." + tables.get(i));
                        }
                        for (String table : tables) {
                            jdbc.update("INSERT INTO public." + table + " OVERRIDING SYSTEM VALUE SELECT * FROM "
                                    + schema + "." + table);
                        }
                    });
                });
            }
            long end = System.nanoTime();
            long events = replayed.events() + rest.events();
            double seconds = (end - started) / 1e9;
            Result result = new Result(events, round(seconds), Math.round(events / Math.max(seconds, 1e-3)),
                    List.copyOf(names), round((replayEnd - started) / 1e9), round((replayEnd - readyStart) / 1e9),
                    round((end - replayEnd) / 1e9), round((end - switchStart) / 1e9));
            log.info("Rebuilt projections {} from {} events in {} s (tables readied in {} s, processors paused {} s)",
                    names, events, result.seconds(), result.readySeconds(), result.pauseSeconds());
            return result;
        } finally {
            stopped.forEach(EventProcessor::start);
            side.drop(copies);
        }
    }

    /**
     * The switch transaction's settings: its lock timeout, and a short deadlock timeout when the database user may
     * set one (a superuser, as on the embedded database, or one granted {@code SET} on it, PostgreSQL 15 and later);
     * otherwise the switch waits the server's deadlock timeout for an autovacuum, as before.
     */
    void switchSettings() { // package-private: ProjectionRebuildApiTest
        jdbc.execute("SET LOCAL lock_timeout = '" + SWAP_LOCK_TIMEOUT + "'");
        if (maySetDeadlockTimeout()) {
            jdbc.execute("SET LOCAL deadlock_timeout = '" + SWAP_DEADLOCK_TIMEOUT + "'");
        }
    }

    private boolean maySetDeadlockTimeout() {
        if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT current_setting('is_superuser') = 'on'", Boolean.class))) {
            return true;
        }
        Integer version = jdbc.queryForObject("SELECT current_setting('server_version_num')::int", Integer.class);
        return version != null && version >= 150000 && Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT has_parameter_privilege('deadlock_timeout', 'SET')", Boolean.class));
    }

    /**
     * Sets the processors' positions, first thing in the switch's transaction. A batch that a paused processor is
     * still finishing (Axon reports a processor stopped once its workers were asked to stop and waited for) holds
     * its token row and reads its tables: a switch that took the tables first waited on that row while the batch
     * waited on the tables, and PostgreSQL ended the deadlock by failing one of them. Taking the rows first, the
     * switch waits for the batch to commit, then overwrites the position it stored.
     */
    private void movePositions(Collection<Projection> projections, TrackingToken last) {
        projections.forEach(projection -> positions.moveTo(catalog.processorName(projection.name()), last));
    }

    /**
     * Puts the rebuilt table in the live one's place, whatever its size: the views that read the live table
     * (the analysts' views) are pointed at the rebuilt one, the live table is dropped and the rebuilt one, with
     * its indexes and constraints, moves into schema public under the same name. Views keep their grants.
     */
    private void swap(String schema, String table) {
        // with only pg_catalog on the path, a view's definition names every table with its schema
        jdbc.execute("SET LOCAL search_path TO pg_catalog");
        List<Map<String, Object>> views = jdbc.queryForList("""
                SELECT DISTINCT v.oid::regclass::text AS name, pg_get_viewdef(v.oid) AS definition
                FROM pg_depend d
                JOIN pg_rewrite r ON r.oid = d.objid
                JOIN pg_class v ON v.oid = r.ev_class
                WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = ('public.' || ?)::regclass
                  AND v.oid <> d.refobjid""", table);
        jdbc.execute("SET LOCAL search_path TO DEFAULT");
        java.util.regex.Pattern live = java.util.regex.Pattern.compile("\\bpublic\\." + table + "\\b");
        for (Map<String, Object> view : views) {
            String definition = live.matcher((String) view.get("definition"))
                    .replaceAll(java.util.regex.Matcher.quoteReplacement(schema + "." + table));
            jdbc.execute("CREATE OR REPLACE VIEW " + view.get("name") + " AS " + definition);
        }
        jdbc.execute("DROP TABLE public." + table);
        jdbc.execute("ALTER TABLE " + schema + "." + table + " SET SCHEMA public");
    }

    /**
     * Whether the switch failed for a reader of a live table: it held the table longer than the lock timeout
     * ({@code 55P03}), or it waited for a table the switch had taken while holding one the switch wanted next
     * ({@code 40P01}: with its shorter deadlock timeout, the switch is the one PostgreSQL fails).
     */
    static boolean heldByReader(Throwable e) { // package-private: ProjectionRebuildApiTest
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql
                    && ("55P03".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
