package dev.referralledger.api.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each projection (and saga) stands: the position its processor has stored, how far that is behind the
 * newest event, and whether it is live, stopped, failing or being rebuilt.
 */
@Component
public class ProjectionStatus {

    public record Segment(int segment, Long position) {
    }

    /** A rebuild or verification in progress: events read of the total to read. */
    public record Progress(String kind, String phase, long read, long total, double percent, Instant startedAt) {
    }

    /**
     * @param status LIVE, REBUILDING, VERIFYING, STOPPED or ERROR
     * @param lag    events between the stored position and the newest event (the slowest segment)
     */
    public record View(String name, String kind, String status, Long position, Long lag, List<Segment> segments,
                       List<String> tables, Progress progress, Object lastRebuild) {
    }

    public record Overview(long head, List<View> projections) {
    }

    private final ProjectionCatalog catalog;
    private final ProjectionWork work;
    private final SideTables side;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ProjectionStatus(ProjectionCatalog catalog, ProjectionWork work, SideTables side, JdbcTemplate jdbc,
                            ObjectMapper json) {
        this.catalog = catalog;
        this.work = work;
        this.side = side;
        this.jdbc = jdbc;
        this.json = json;
    }

    public Overview overview() {
        long head = side.head();
        List<View> views = new ArrayList<>();
        catalog.projections().values().forEach(p -> views.add(view(p.name(), "PROJECTION", p.tables(), head)));
        catalog.sagas().forEach(saga -> views.add(view(saga, "SAGA", List.of(), head)));
        return new Overview(head, views);
    }

    public View view(String name) {
        ProjectionCatalog.Projection projection = catalog.projections().get(name);
        if (projection != null) {
            return view(name, "PROJECTION", projection.tables(), side.head());
        }
        if (catalog.sagas().contains(name)) {
            return view(name, "SAGA", List.of(), side.head());
        }
        throw new NotFoundException("Projection", name);
    }

    private View view(String name, String kind, List<String> tables, long head) {
        List<Segment> segments = jdbc.query("SELECT segment, token FROM token_entry WHERE processor_name = ? ORDER BY segment",
                (rs, n) -> new Segment(rs.getInt(1), position(rs.getBytes(2))), catalog.processorName(name));
        // a running processor knows its position before it stores it (it stores it per batch, and an idle segment late)
        if (catalog.processor(name).orElse(null) instanceof StreamingEventProcessor streaming && streaming.isRunning()) {
            Map<Integer, EventTrackerStatus> running = streaming.processingStatus();
            segments = segments.stream().map(s -> {
                EventTrackerStatus status = running.get(s.segment());
                return status == null || status.getTrackingToken() == null ? s
                        : new Segment(s.segment(), status.getTrackingToken().position().orElse(0));
            }).toList();
        }
        Long position = segments.isEmpty() ? null : segments.stream()
                .map(s -> s.position() == null ? 0L : s.position()).min(Long::compare).orElse(0L);
        Long lag = position == null ? null : Math.max(0, head - position);
        Progress progress = work.activityOf(name).map(a -> new Progress(a.kind(), a.phase(), a.read().get(), a.total(),
                a.total() == 0 ? 100.0 : Math.min(100.0, Math.round(a.read().get() * 1000.0 / a.total()) / 10.0),
                a.startedAt())).orElse(null);
        return new View(name, kind, status(name, progress), position, lag, segments, tables, progress,
                work.lastRebuildOf(name).orElse(null));
    }

    private String status(String name, Progress progress) {
        if (progress != null) {
            return progress.kind().equals("REBUILD") ? "REBUILDING" : "VERIFYING";
        }
        EventProcessor processor = catalog.processor(name).orElse(null);
        if (processor == null || !processor.isRunning()) {
            return "STOPPED";
        }
        if (processor.isError() || processor instanceof StreamingEventProcessor streaming
                && streaming.processingStatus().values().stream().anyMatch(s -> s.isErrorState())) {
            return "ERROR";
        }
        return "LIVE";
    }

    /** The global position in a stored token (JSON): a plain token, or the current part of a replay token. */
    private Long position(byte[] token) {
        if (token == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(token);
            for (String path : List.of("/index", "/currentToken/index", "/tokenAtReset/index")) {
                JsonNode index = node.at(path);
                if (index.isNumber()) {
                    return index.asLong();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
