package dev.referralledger.api.projection;

import dev.referralledger.api.projection.ProjectionCatalog.Projection;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Fills a second copy of projection tables from the event store, next to the live ones, while the live
 * projections keep running.
 *
 * <p>The copies live in a schema of their own ({@code rebuild_<projection>}, {@code verify_<projection>}), made
 * with {@code CREATE TABLE ... (LIKE public.t INCLUDING ALL)}. The projections' own handlers fill them: each
 * transaction starts with {@code SET LOCAL search_path TO <schema>, public}, so the handlers' unqualified table
 * names resolve to the copies and every other name (the event store, lookups) to the live schema. The events are
 * read once for all projections and applied by one worker per projection and segment, in ledger order, in
 * transactions of {@value #BATCH} events. The copies are unlogged while they are filled (no write-ahead log);
 * a rebuild makes them logged before they replace the live tables.</p>
 */
@Component
public class SideTables {

    /**
     * Events per transaction. Large, because most of a rebuild's cost is in PostgreSQL: with 10,000 events a
     * referral's events mostly fall into one batch and its row is inserted once in its final state instead of
     * inserted and updated again (400,000 events, warm: 21,600 events/s at 1,000, 27,100 at 5,000, 38,100 at
     * 10,000, 41,400 at 20,000). At most three batches are in memory at once (two queued, one being read).
     */
    static final int BATCH = 10_000;

    /**
     * One worker: the events of one segment of a projection, applied to the tables in {@code schema}.
     *
     * @param liveToken when not null, only events this token has seen are applied (verify brings the copy to
     *                  exactly where the stopped live projection is)
     */
    public record Lane(Projection projection, String schema, Segment segment, TrackingToken liveToken, boolean bounded) {

        Lane boundedBy(TrackingToken token) {
            return new Lane(projection, schema, segment, token, true);
        }

        boolean takes(TrackedEventMessage<?> event) {
            if (bounded && (liveToken == null || !liveToken.covers(event.trackingToken()))) {
                return false;
            }
            return segment.matches(sequenceOf(event));
        }
    }

    /** Copies of some projections' tables: the schema of each projection's copies, and the lanes that fill them. */
    public record Copies(Map<Projection, String> schemas, List<Lane> lanes) {
    }

    /** How far a replay got: the events read and the token of the last one (null when there was none). */
    public record Replayed(long events, TrackingToken lastToken) {
    }

    private final ProjectionCatalog catalog;
    private final EventStorageEngine events;
    private final ProcessorPositions positions;
    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;

    public SideTables(ProjectionCatalog catalog, EventStorageEngine events, ProcessorPositions positions,
                      TransactionManager transactions, JdbcTemplate jdbc) {
        this.catalog = catalog;
        this.events = events;
        this.positions = positions;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** Empty copies of the named projections' tables, in schemas {@code <purpose>_<projection>}. */
    public Copies create(String purpose, Collection<String> names) {
        Map<Projection, String> schemas = new LinkedHashMap<>();
        List<Lane> lanes = new ArrayList<>();
        for (String name : names) {
            Projection projection = catalog.projections().get(name);
            String schema = schemaFor(purpose, projection);
            schemas.put(projection, schema);
            lanes.addAll(create(projection, schema));
        }
        return new Copies(schemas, lanes);
    }

    public void drop(Copies copies) {
        copies.schemas().values().forEach(schema -> jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }

    /** {@code rebuild_referral_pipeline} for ("rebuild", "referral-pipeline"). */
    private static String schemaFor(String purpose, Projection projection) {
        return purpose + "_" + projection.name().toLowerCase().replaceAll("[^a-z0-9]", "_");
    }

    /** Empty copies of the projection's tables in {@code schema}, and one lane per segment of its processor. */
    private List<Lane> create(Projection projection, String schema) {
        jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        jdbc.execute("CREATE SCHEMA " + schema);
        for (String table : projection.tables()) {
            // unlogged while they are filled: no write-ahead log for a table that is thrown away after a crash
            jdbc.execute("CREATE UNLOGGED TABLE " + schema + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
        }
        inSchema(schema, () -> projection.handlers().forEach(AnnotationEventHandlerAdapter::prepareReset));
        int[] ids = positions.segments(catalog.processorName(projection.name()));
        List<Lane> lanes = new ArrayList<>();
        if (ids.length == 0) {
            lanes.add(new Lane(projection, schema, Segment.ROOT_SEGMENT, null, false));
        }
        for (int id : ids) {
            lanes.add(new Lane(projection, schema, Segment.computeSegment(id, ids), null, false));
        }
        return lanes;
    }

    /** Makes the copies crash-safe before they become live tables: one sequential write of each. */
    public void makeDurable(Projection projection, String schema) {
        for (String table : projection.tables()) {
            jdbc.execute("ALTER TABLE " + schema + "." + table + " SET LOGGED");
        }
    }

    /** The position of the newest stored event (0 when there is none). */
    public long head() {
        Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    /** Runs {@code work} in a transaction whose unqualified table names resolve to {@code schema} first. */
    void inSchema(String schema, Runnable work) {
        transactions.executeInTransaction(() -> {
            jdbc.execute("SET LOCAL search_path TO " + schema + ", public");
            work.run();
        });
    }

    /**
     * Applies the events after {@code after} (null: from the first) up to position {@code upTo} to every lane.
     *
     * @param read counts the events read, for progress reports
     */
    public Replayed replay(List<Lane> lanes, TrackingToken after, long upTo, AtomicLong read) throws InterruptedException {
        List<BlockingQueue<List<TrackedEventMessage<?>>>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Lane lane : lanes) {
            BlockingQueue<List<TrackedEventMessage<?>>> queue = new ArrayBlockingQueue<>(2);
            queues.add(queue);
            Thread worker = new Thread(() -> apply(lane, queue, failure),
                    lane.schema() + "-" + lane.segment().getSegmentId());
            workers.add(worker);
            worker.start();
        }
        long count = 0;
        TrackingToken last = after;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(after, false)) {
            Iterator<? extends TrackedEventMessage<?>> it = stream.iterator();
            List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
            while (it.hasNext() && failure.get() == null) {
                TrackedEventMessage<?> event = it.next();
                if (event.trackingToken().position().orElse(Long.MAX_VALUE) > upTo) {
                    break; // written after the replay began: the next phase, or the live projection, takes it
                }
                batch.add(event);
                last = event.trackingToken();
                count++;
                if (batch.size() == BATCH) {
                    hand(queues, batch, failure);
                    read.addAndGet(batch.size());
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                hand(queues, batch, failure);
                read.addAndGet(batch.size());
            }
        } finally {
            for (BlockingQueue<List<TrackedEventMessage<?>>> queue : queues) {
                queue.put(List.of());
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("replay into side tables failed: " + failure.get().getMessage(), failure.get());
        }
        return new Replayed(count, last);
    }

    private static void hand(List<BlockingQueue<List<TrackedEventMessage<?>>>> queues, List<TrackedEventMessage<?>> batch,
                             AtomicReference<Throwable> failure) throws InterruptedException {
        for (BlockingQueue<List<TrackedEventMessage<?>>> queue : queues) {
            while (failure.get() == null && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // a worker is behind: wait for it
            }
        }
    }

    /** Applies batches in order, each in one unit of work and transaction, until the empty end marker. */
    private void apply(Lane lane, BlockingQueue<List<TrackedEventMessage<?>>> queue, AtomicReference<Throwable> failure) {
        AppliedPositions.ignoreReportsOfThisThread(); // readers wait on the live tables, not on these
        Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType = new HashMap<>();
        try {
            while (true) {
                List<TrackedEventMessage<?>> batch = queue.take();
                if (batch.isEmpty()) {
                    return;
                }
                if (failure.get() != null) {
                    continue;
                }
                List<TrackedEventMessage<?>> mine = new ArrayList<>();
                for (TrackedEventMessage<?> event : batch) {
                    if (!handlersOf(event.getPayloadType(), lane.projection().handlers(), byType).isEmpty()
                            && lane.takes(event)) {
                        mine.add(event);
                    }
                }
                if (mine.isEmpty()) {
                    continue;
                }
                UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(mine.get(0));
                unitOfWork.attachTransaction(transactions);
                unitOfWork.execute(() -> {
                    jdbc.execute("SET LOCAL search_path TO " + lane.schema() + ", public");
                    for (TrackedEventMessage<?> event : mine) {
                        for (AnnotationEventHandlerAdapter handler : handlersOf(event.getPayloadType(),
                                lane.projection().handlers(), byType)) {
                            try {
                                handler.handle(event);
                            } catch (Exception e) {
                                throw new IllegalStateException("cannot apply event " + event.getIdentifier(), e);
                            }
                        }
                    }
                });
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            // keep draining so the reader never blocks on a full queue
            try {
                while (!queue.take().isEmpty()) {
                    // discard
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The handlers of a payload type, looked up once per type: by far cheaper than per event. */
    private static List<AnnotationEventHandlerAdapter> handlersOf(Class<?> type, List<AnnotationEventHandlerAdapter> handlers,
                                                                  Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType) {
        return byType.computeIfAbsent(type, t -> handlers.stream().filter(a -> a.canHandleType(t)).toList());
    }

    /** What the live processors split segments by: Axon's default policy, the aggregate. */
    private static Object sequenceOf(TrackedEventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : event.getIdentifier();
    }
}
