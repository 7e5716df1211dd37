package dev.referralledger.api.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.api.projection.ProjectionCatalog.Projection;
import dev.referralledger.api.projection.SideTables.Lane;
import dev.referralledger.api.projection.SideTables.Replayed;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes every projection from the events into scratch tables and compares them with the live tables.
 *
 * <p>The scratch tables are filled while the live projections run ({@link SideTables}). To compare like with
 * like, the live processors are then stopped for a moment: the scratch tables take exactly the events the live
 * positions have seen, a repeatable-read transaction fixes what the live tables hold at that moment, and the
 * processors start again; the comparison runs inside that snapshot while the projections go on. Rows are
 * compared whole ({@code EXCEPT ALL}, both ways), so a changed value, a missing row and a row too many are
 * all reported.</p>
 */
@Component
public class ProjectionVerification {

    private static final Logger log = LoggerFactory.getLogger(ProjectionVerification.class);
    /** Rows shown per table and side; the counts say how many more there are. */
    private static final int SHOWN = 5;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    /** One table: its rows live and recomputed, and the rows found on one side only. */
    public record TableCheck(String table, long liveRows, long recomputedRows, long onlyLive, long onlyRecomputed,
                             List<JsonNode> firstOnlyLive, List<JsonNode> firstOnlyRecomputed) {
        public boolean same() {
            return onlyLive == 0 && onlyRecomputed == 0;
        }
    }

    public record ProjectionCheck(String projection, boolean same, List<TableCheck> tables) {
    }

    public record Report(boolean same, long differences, long events, double seconds, List<ProjectionCheck> projections) {
    }

    private final ProjectionCatalog catalog;
    private final SideTables side;
    private final ProjectionWork work;
    private final ProcessorPositions positions;
    private final DataSource dataSource;
    private final ObjectMapper json;

    public ProjectionVerification(ProjectionCatalog catalog, SideTables side, ProjectionWork work,
                                  ProcessorPositions positions, DataSource dataSource, ObjectMapper json) {
        this.catalog = catalog;
        this.side = side;
        this.work = work;
        this.positions = positions;
        this.dataSource = dataSource;
        this.json = json;
    }

    public Report verify() throws InterruptedException {
        List<String> names = List.copyOf(catalog.projections().keySet());
        ProjectionWork.Activity activity = work.begin("VERIFY", names, side.head());
        try {
            return run(names, activity);
        } finally {
            work.end(names, null);
        }
    }

    private Report run(List<String> names, ProjectionWork.Activity activity) throws InterruptedException {
        long started = System.nanoTime();
        SideTables.Copies copies = side.create("verify", names);
        Map<Projection, String> schemas = copies.schemas();
        List<Lane> lanes = copies.lanes();
        List<EventProcessor> stopped = new ArrayList<>();
        Connection snapshot = null;
        try {
            Replayed replayed = side.replay(lanes, null, activity.total(), activity.read());
            activity.phase("CATCHING_UP");
            awaitLive(names, replayed.lastToken());
            stopped.addAll(catalog.stop(names));
            // each scratch lane takes exactly what its live segment has seen
            List<Lane> bounded = new ArrayList<>();
            long upTo = 0;
            Map<String, Map<Integer, TrackingToken>> live = new HashMap<>();
            for (Lane lane : lanes) {
                Map<Integer, TrackingToken> segments = live.computeIfAbsent(lane.projection().name(),
                        name -> positions.of(catalog.processorName(name)));
                TrackingToken token = segments.get(lane.segment().getSegmentId());
                bounded.add(lane.boundedBy(token));
                if (token != null) {
                    upTo = Math.max(upTo, token.position().orElse(0));
                }
            }
            Replayed rest = side.replay(bounded, replayed.lastToken(), upTo, activity.read());
            snapshot = openSnapshot();
            stopped.forEach(EventProcessor::start);
            stopped.clear();

            activity.phase("COMPARING");
            List<ProjectionCheck> checks = new ArrayList<>();
            long differences = 0;
            for (Map.Entry<Projection, String> entry : schemas.entrySet()) {
                List<TableCheck> tables = new ArrayList<>();
                for (String table : entry.getKey().tables()) {
                    TableCheck check = compare(snapshot, table, entry.getValue());
                    differences += check.onlyLive() + check.onlyRecomputed();
                    tables.add(check);
                }
                checks.add(new ProjectionCheck(entry.getKey().name(), tables.stream().allMatch(TableCheck::same), tables));
            }
            double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
            long events = replayed.events() + rest.events();
            log.info("Verified projections {} against {} events in {} s: {} differing rows", names, events, seconds,
                    differences);
            return new Report(differences == 0, differences, events, seconds, checks);
        } finally {
            stopped.forEach(EventProcessor::start);
            if (snapshot != null) {
                close(snapshot);
            }
            side.drop(copies);
        }
    }

    /** Waits until every live processor has seen what the scratch tables took, so that stopping it costs little. */
    private void awaitLive(List<String> names, TrackingToken replayed) throws InterruptedException {
        if (replayed == null) {
            return;
        }
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        for (String name : names) {
            EventProcessor processor = catalog.processor(name).orElse(null);
            if (!(processor instanceof StreamingEventProcessor streaming) || !processor.isRunning()) {
                continue;
            }
            while (!streaming.processingStatus().values().stream().map(EventTrackerStatus::getTrackingToken)
                    .allMatch(token -> token != null && token.covers(replayed))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("projection " + name + " is lagging: verify needs it near the head");
                }
                Thread.sleep(20);
            }
        }
    }

    /** A transaction that sees the live tables as they are now, however the projections move on. */
    private Connection openSnapshot() {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement first = connection.prepareStatement("SELECT count(*) FROM token_entry");
                 ResultSet rs = first.executeQuery()) {
                rs.next(); // the snapshot is taken by the transaction's first query
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a snapshot of the live tables", e);
        }
    }

    private TableCheck compare(Connection snapshot, String table, String schema) {
        String live = "public." + table;
        String recomputed = schema + "." + table;
        return new TableCheck(table, count(snapshot, "SELECT count(*) FROM " + live),
                count(snapshot, "SELECT count(*) FROM " + recomputed),
                count(snapshot, "SELECT count(*) FROM (SELECT * FROM " + live + " EXCEPT ALL SELECT * FROM " + recomputed + ") d"),
                count(snapshot, "SELECT count(*) FROM (SELECT * FROM " + recomputed + " EXCEPT ALL SELECT * FROM " + live + ") d"),
                rows(snapshot, "SELECT * FROM " + live + " EXCEPT ALL SELECT * FROM " + recomputed),
                rows(snapshot, "SELECT * FROM " + recomputed + " EXCEPT ALL SELECT * FROM " + live));
    }

    private static long count(Connection connection, String sql) {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private List<JsonNode> rows(Connection connection, String difference) {
        String sql = "SELECT row_to_json(d)::text FROM (" + difference + ") d ORDER BY 1 LIMIT " + SHOWN;
        List<JsonNode> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(json.readTree(rs.getString(1)));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(sql, e);
        }
        return rows;
    }

    private static void close(Connection connection) {
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the verification snapshot failed", e);
        }
    }
}
