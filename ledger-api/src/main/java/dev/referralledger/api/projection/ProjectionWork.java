package dev.referralledger.api.projection;

import dev.referralledger.core.rules.ConflictException;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the operator has running on the projections: one rebuild or verification at a time (both stop and start
 * event processors), and its progress, which {@code GET /admin/projections} shows.
 */
@Component
public class ProjectionWork {

    /** A running rebuild or verification of some projections. */
    public static final class Activity {
        private final String kind;
        private final Instant startedAt = Instant.now();
        private final long total;
        private final AtomicLong read = new AtomicLong();
        private volatile String phase = "REPLAYING";

        Activity(String kind, long total) {
            this.kind = kind;
            this.total = total;
        }

        public String kind() {
            return kind;
        }

        public String phase() {
            return phase;
        }

        void phase(String phase) {
            this.phase = phase;
        }

        public Instant startedAt() {
            return startedAt;
        }

        /** The events to read: the newest position when it started. */
        public long total() {
            return total;
        }

        public AtomicLong read() {
            return read;
        }
    }

    private final AtomicBoolean busy = new AtomicBoolean();
    private final Map<String, Activity> running = new ConcurrentHashMap<>();
    private final Map<String, Object> lastResults = new ConcurrentHashMap<>();

    /** Claims the projections for one activity, or refuses while another runs. */
    Activity begin(String kind, Collection<String> projections, long total) {
        if (!busy.compareAndSet(false, true)) {
            throw new ConflictException("PROJECTIONS_BUSY",
                    "A rebuild or verification is already running; GET /admin/projections shows its progress.",
                    Map.<String, Object>of("running", java.util.Set.copyOf(running.keySet())));
        }
        Activity activity = new Activity(kind, total);
        projections.forEach(p -> running.put(p, activity));
        return activity;
    }

    void end(Collection<String> projections, Object result) {
        projections.forEach(p -> {
            running.remove(p);
            if (result != null) {
                lastResults.put(p, result);
            }
        });
        busy.set(false);
    }

    public Optional<Activity> activityOf(String projection) {
        return Optional.ofNullable(running.get(projection));
    }

    /** The outcome of the projection's last rebuild, if one ran since this process started. */
    public Optional<Object> lastRebuildOf(String projection) {
        return Optional.ofNullable(lastResults.get(projection));
    }
}
