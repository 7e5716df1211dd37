package dev.referralledger.api.projection;

import com.zaxxer.hikari.HikariDataSource;
import dev.referralledger.api.config.ConnectionPools;
import dev.referralledger.api.projection.ProjectionCatalog.Projection;
import dev.referralledger.api.privacy.PersonKeyStore;
import dev.referralledger.projections.AppliedPositions;
import dev.referralledger.projections.BatchWrites;
import dev.referralledger.projections.TokenPositions;
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

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Fills a second copy of projection tables from the event store, next to the live ones, while the live
 * projections keep running.
 *
 * <p>The copies live in a schema of their own ({@code rebuild_<projection>}, {@code verify_<projection>}), made
 * with {@code CREATE TABLE ... (LIKE public.t INCLUDING ALL EXCLUDING INDEXES)} and then only the keys and the
 * indexes the handlers look rows up by, under the live names ({@link #create(Projection, String)}). The
 * projections' own handlers fill them: each
 * transaction starts with {@code SET LOCAL search_path TO <schema>, public}, so the handlers' unqualified table
 * names resolve to the copies and every other name (the event store, lookups) to the live schema. The events are
 * read once for all projections and applied by one worker per projection and segment, in ledger order, in
 * transactions of {@value #BATCH} events read. The copies are unlogged while they are filled (no write-ahead log);
 * a rebuild makes them logged and builds their other indexes before they replace the live tables.</p>
 */
@Component
public class SideTables {

    /**
     * Events per transaction. Large, because most of a rebuild's cost is in PostgreSQL: with 10,000 events a
     * referral's events mostly fall into one batch and its row is inserted once in its final state instead of
     * inserted and updated again (400,000 events, warm: 21,600 events/s at 1,000, 27,100 at 5,000, 38,100 at
     * 10,000, 41,400 at 20,000). The events reach the lanes in smaller {@link #CHUNK}s.
     */
    static final int BATCH = 10_000;

    /**
     * Events handed to the lanes at once. A lane holds at most three chunks (two queued, one being applied; the
     * lanes share them) instead of three whole batches of deserialized events, while its transactions still span
     * a batch: with a 256 MB heap, batches of 10,000 in the queues kept the collector doing full collections. A
     * divisor of {@link #BATCH}, so that a batch always ends with a chunk.
     */
    static final int CHUNK = 1_000;

    /**
     * What a lane's transactions set, and why: the copies get no statistics while they fill (nothing analyzes them
     * until {@link #makeReady}), and without statistics the planner takes a growing copy for a small table. A
     * batch's {@code referral_id = ANY (?)} of 2,000 ids then read every row of the copy instead of probing its
     * key (2.6 s of PostgreSQL's time in a 1,000,000-event rebuild), and a batch's {@code UPDATE ... FROM unnest}
     * hashed the whole copy to join it with the batch's rows (a store written through the API, whose later events
     * update rows of earlier batches: 70 ms per batch at 45,000 rows, growing with the copy). Both costs grow
     * with the square of the ledger's size. With these off, each lookup and join probes the key or lookup index the
     * copy was made with; a statement that has no index to use still scans.
     */
    static final List<String> NO_STATISTICS = List.of("enable_seqscan = off", "enable_hashjoin = off",
            "enable_mergejoin = off");

    /**
     * The storage parameters of a copy while it fills: no autovacuum (see {@link #create}), and pages filled to 60%
     * only. The rest of each page is room for the new versions of its rows: a referral contacted, qualified or
     * converted in a later batch than it arrived in (any store written through the API) is updated in the copy,
     * and with room on its page the update is a heap-only tuple, without a new entry in each of the copy's indexes.
     * Measured on 20,000 such referrals updated three times: 450–960 ms per pass full, 190–250 ms at 60%
     * (80% of the updates heap-only). {@link #makeReady} packs the pages again.
     */
    private static final String FILLING = "autovacuum_enabled = off, toast.autovacuum_enabled = off, fillfactor = 60";

    /**
     * Consecutive events read, handed to every lane; {@code endsBatch}: the lanes commit after it;
     * {@code exactPositions}: every one of them moved the tracking token forward, so its token is its position
     * ({@link TokenPositions}).
     */
    private record Chunk(List<TrackedEventMessage<?>> events, boolean endsBatch, boolean exactPositions) {
    }

    /** The end marker: commit what is open and stop. */
    private static final Chunk END = new Chunk(List.of(), true, true);

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
    private final DataSource dataSource;

    public SideTables(ProjectionCatalog catalog, EventStorageEngine events, ProcessorPositions positions,
                      TransactionManager transactions, JdbcTemplate jdbc, DataSource dataSource) {
        this.catalog = catalog;
        this.events = events;
        this.positions = positions;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
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

    /**
     * Empty copies of the projection's tables in {@code schema}, and one lane per segment of its processor.
     *
     * <p>A copy starts with its keys only: primary key, unique and exclusion constraints and unique indexes, which
     * the handlers' upserts (ON CONFLICT) and key lookups need, plus the few secondary indexes their statements
     * look rows up by ({@link Projection#lookupIndexes()}; those only an erasure reads by,
     * {@link Projection#erasureIndexes()}, only when the ledger has erased someone). Every other index would only
     * slow the replay down (each insert or update maintains it, and an update of an indexed column cannot stay on
     * its page): a rebuild builds them once at the end ({@link #makeReady}), a verification never needs them.
     * Which handlers look up by what, checked for each {@code @ProjectionTables} class: the pipeline and program
     * handlers by advocate and referred person on an erasure, the attribution batch by referral and reward at every
     * batch; all others only by primary key. Everything is created under the live names, so the tables that a rebuild moves into
     * schema public carry the names the migrations gave them.</p>
     */
    List<Lane> create(Projection projection, String schema) { // package-private: ErasureIndexesApiTest
        jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        jdbc.execute("CREATE SCHEMA " + schema);
        Set<String> lookups = new HashSet<>(projection.lookupIndexes());
        Set<String> erasureOnly = new HashSet<>(projection.erasureIndexes());
        boolean erasures = !erasureOnly.isEmpty() && erasuresRecorded();
        for (String table : projection.tables()) {
            // unlogged while they are filled: no write-ahead log for a table that is thrown away after a crash;
            // no autovacuum either: it would vacuum and analyze the growing copy again and again, work that SET
            // LOGGED throws away by rewriting the table (makeReady turns it back on)
            jdbc.execute("CREATE UNLOGGED TABLE " + schema + "." + table + " (LIKE public." + table
                    + " INCLUDING ALL EXCLUDING INDEXES) WITH (" + FILLING + ")");
            keyConstraints(schema, table).forEach(jdbc::execute);
            for (Index index : indexes(schema, table)) {
                boolean lookup = lookups.remove(index.name()) | (erasureOnly.remove(index.name()) && erasures);
                if (index.unique() || lookup) {
                    jdbc.execute(index.definition());
                }
            }
        }
        lookups.addAll(erasureOnly);
        if (!lookups.isEmpty()) {
            // a migration renamed or dropped one: say so instead of replaying without it
            throw new IllegalStateException("projection " + projection.name() + " names lookup indexes " + lookups
                    + " that none of its tables " + projection.tables() + " has");
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

    /**
     * Whether the ledger has erased anyone: an erasure destroys the person's key and keeps the row, marked. Read when
     * the copies are made; an erasure committed later, which the replay may still meet, scans its copy instead.
     */
    private boolean erasuresRecorded() {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM person_key WHERE erased_at IS NOT NULL)", Boolean.class));
    }

    /**
     * Readies the copies to replace the live tables. Each is first made crash-safe ({@code SET LOGGED}, one
     * sequential write, which also packs its pages full again: the rewrite takes the reset fill factor) and given
     * back to autovacuum; then it gets the indexes of its live table that it still
     * lacks (those left out by {@link #create}, under the same names: each built once from the whole table, far
     * cheaper than maintained row by row during the replay; after {@code SET LOGGED}, which would rebuild them)
     * and is analyzed (statistics before it goes live). The index builds and the analysis of a table run side by
     * side with each other and with the other tables', two at a time, largest table first: one statement after the
     * other took 4 s of a 1,000,000-event rebuild, on one server process.
     */
    public void makeReady(Map<Projection, String> schemas) throws InterruptedException {
        List<String[]> tables = new ArrayList<>();
        schemas.forEach((projection, schema) -> projection.tables().forEach(t -> tables.add(new String[]{schema, t})));
        Map<String[], Long> sizes = new HashMap<>();
        tables.forEach(t -> sizes.put(t, jdbc.queryForObject("SELECT pg_total_relation_size(?::regclass)", Long.class,
                t[0] + "." + t[1])));
        tables.sort(Comparator.comparingLong((String[] t) -> sizes.get(t)).reversed());
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> durable = new ArrayList<>();
            for (String[] t : tables) {
                durable.add(workers.submit(() -> jdbc.execute("ALTER TABLE " + t[0] + "." + t[1]
                        + " SET LOGGED, RESET (autovacuum_enabled, toast.autovacuum_enabled, fillfactor)")));
            }
            List<Future<?>> finished = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                await(durable.get(i)); // a table's own steps wait for its SET LOGGED; the others' go on
                String schema = tables.get(i)[0];
                String table = tables.get(i)[1];
                List<String> present = jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?",
                        String.class, schema, table);
                for (Index index : indexes(schema, table)) {
                    if (!present.contains(index.name())) {
                        finished.add(workers.submit(() -> jdbc.execute(index.definition())));
                    }
                }
                finished.add(workers.submit(() -> jdbc.execute("ANALYZE " + schema + "." + table)));
            }
            for (Future<?> each : finished) {
                await(each);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static void await(Future<?> step) throws InterruptedException {
        try {
            step.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot ready the rebuilt tables: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** An index of a live table that backs no constraint, and the statement that makes it on the copy. */
    private record Index(String name, boolean unique, String definition) {
    }

    /** The live table's primary key, unique and exclusion constraints, as statements adding them to the copy. */
    private List<String> keyConstraints(String schema, String table) {
        return jdbc.queryForList("""
                SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', ?, c.relname, k.conname, pg_get_constraintdef(k.oid))
                FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid
                WHERE k.conrelid = ?::regclass AND k.contype IN ('p', 'u', 'x')
                ORDER BY k.conname""", String.class, schema, "public." + table);
    }

    /**
     * The live table's indexes that back no constraint (those come with {@link #keyConstraints}), each with its
     * definition pointed at the copy: {@code pg_get_indexdef} always names the table with its schema.
     */
    private List<Index> indexes(String schema, String table) {
        return jdbc.query("""
                SELECT ic.relname AS name, i.indisunique AS is_unique, pg_get_indexdef(i.indexrelid) AS live,
                       replace(pg_get_indexdef(i.indexrelid), format(' ON %I.%I USING ', 'public', t.relname),
                               format(' ON %I.%I USING ', ?, t.relname)) AS copy
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class t ON t.oid = i.indrelid
                WHERE i.indrelid = ?::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                                  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
                ORDER BY ic.relname""", (rs, row) -> {
            if (rs.getString("copy").equals(rs.getString("live"))) {
                throw new IllegalStateException("cannot point index " + rs.getString("name") + " at the copy: "
                        + rs.getString("live"));
            }
            return new Index(rs.getString("name"), rs.getBoolean("is_unique"), rs.getString("copy"));
        }, schema, "public." + table);
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
        checkConnections(lanes.size());
        List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Lane lane : lanes) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
            queues.add(queue);
            Thread worker = new Thread(() -> apply(lane, queue, failure),
                    lane.schema() + "-" + lane.segment().getSegmentId());
            workers.add(worker);
            worker.start();
        }
        Reading reading;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(after, false)) {
            reading = new Reading(stream.iterator(), after, upTo);
            while (!reading.finished && failure.get() == null) {
                Chunk chunk = nextChunk(reading);
                if (!chunk.events().isEmpty()) {
                    hand(queues, chunk, failure);
                    read.addAndGet(chunk.events().size());
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t); // the workers roll back what they hold instead of committing it
            throw t;
        } finally {
            for (BlockingQueue<Chunk> queue : queues) {
                queue.put(END);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("replay into side tables failed: " + failure.get().getMessage(), failure.get());
        }
        return new Replayed(reading.count, reading.last);
    }

    /** Where the reader is in the events: what it has read so far. */
    private static final class Reading {
        final Iterator<? extends TrackedEventMessage<?>> events;
        final long upTo;
        long count;
        TrackingToken last;
        long highest;
        boolean finished;

        Reading(Iterator<? extends TrackedEventMessage<?>> events, TrackingToken after, long upTo) {
            this.events = events;
            this.upTo = upTo;
            this.last = after;
            this.highest = after == null ? Long.MIN_VALUE : after.position().orElse(Long.MIN_VALUE);
        }
    }

    /**
     * The next {@value #CHUNK} events read (fewer at the end: that chunk does not end a batch, the end marker
     * commits it). A method of its own, called once per chunk, for the same reason as {@link #applyChunk}.
     */
    private static Chunk nextChunk(Reading reading) {
        List<TrackedEventMessage<?>> chunk = new ArrayList<>(CHUNK);
        boolean exact = true;
        while (chunk.size() < CHUNK) {
            if (!reading.events.hasNext()) {
                reading.finished = true;
                break;
            }
            TrackedEventMessage<?> event = reading.events.next();
            if (event.trackingToken().position().orElse(Long.MAX_VALUE) > reading.upTo) {
                reading.finished = true; // written after the replay began: the next phase, or the live projection, takes it
                break;
            }
            chunk.add(event);
            reading.last = event.trackingToken();
            long position = reading.last.position().orElse(Long.MIN_VALUE);
            exact &= position > reading.highest; // else it filled a gap behind a position already read
            reading.highest = Math.max(reading.highest, position);
            reading.count++;
        }
        return new Chunk(chunk, chunk.size() == CHUNK && reading.count % BATCH == 0, exact);
    }

    /**
     * A lane keeps its connection while it waits for the next chunk of its batch, and the reader needs one to read
     * on: with fewer connections, a lane waiting for one would stop the reader, and the lanes holding them would
     * wait for the reader, until the pool's timeout fails the replay. Refused at once instead.
     */
    private void checkConnections(int lanes) {
        // the lanes are threads of their own, so their connections come from the requests' pool
        HikariDataSource pool = dataSource instanceof ConnectionPools pools ? pools.requests()
                : dataSource instanceof HikariDataSource hikari ? hikari : null;
        if (pool != null && pool.getMaximumPoolSize() < lanes + 1) {
            throw new IllegalStateException("replaying into side tables takes " + (lanes + 1) + " connections (one per lane "
                    + "and the reader), the pool has " + pool.getMaximumPoolSize() + ": raise ledger.db.pool-size");
        }
    }

    private static void hand(List<BlockingQueue<Chunk>> queues, Chunk chunk, AtomicReference<Throwable> failure)
            throws InterruptedException {
        for (BlockingQueue<Chunk> queue : queues) {
            while (failure.get() == null && !queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                // a worker is behind: wait for it
            }
        }
    }

    /**
     * Applies the chunks in order until the end marker. One unit of work and transaction stays open across chunks
     * and commits where a batch of {@value #BATCH} events read ends (and at the end marker); a lane that takes
     * none of a batch's events opens none. After a failure, here or elsewhere, the open one is rolled back.
     */
    private void apply(Lane lane, BlockingQueue<Chunk> queue, AtomicReference<Throwable> failure) {
        AppliedPositions.ignoreReportsOfThisThread(); // readers wait on the live tables, not on these
        PersonKeyStore.replayingInThisThread(); // people come in about the order their keys were made
        LaneWork work = new LaneWork(lane);
        Chunk chunk = null;
        try {
            do {
                chunk = queue.take();
                if (failure.get() != null) {
                    break;
                }
                applyChunk(work, chunk);
            } while (chunk != END);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        if (work.unitOfWork != null) {
            rollBack(work.unitOfWork, failure.get());
        }
        // keep draining so the reader never blocks on a full queue
        try {
            while (chunk != END) {
                chunk = queue.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a lane carries from chunk to chunk: its open unit of work and what it knows of its handlers. */
    private static final class LaneWork {
        final Lane lane;
        final Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType = new HashMap<>();
        UnitOfWork<?> unitOfWork;
        boolean exactPositions = true; // of the events the open transaction was given

        LaneWork(Lane lane) {
            this.lane = lane;
        }
    }

    /**
     * One chunk's events applied, and the transaction committed where a batch ends. A method of its own, called
     * once per chunk: the JIT compiler compiles it once and keeps it for every later rebuild, where the same loop
     * inside {@link #apply}, which each lane runs once, was compiled again on the stack in every rebuild (JFR: two
     * to three such compilations of 0.15–0.29 s each per rebuild, on two cores taken from the lanes).
     */
    private void applyChunk(LaneWork work, Chunk chunk) {
        Lane lane = work.lane;
        work.exactPositions &= chunk.exactPositions();
        for (TrackedEventMessage<?> event : chunk.events()) {
            List<AnnotationEventHandlerAdapter> handlers =
                    handlersOf(event.getPayloadType(), lane.projection().handlers(), work.byType);
            if (handlers.isEmpty() || !lane.takes(event)) {
                continue;
            }
            if (work.unitOfWork == null) {
                work.unitOfWork = DefaultUnitOfWork.startAndGet(event);
                work.unitOfWork.attachTransaction(transactions);
                BatchWrites.allowEarly(work.unitOfWork);
                jdbc.execute("SET LOCAL search_path TO " + lane.schema() + ", public");
                NO_STATISTICS.forEach(setting -> jdbc.execute("SET LOCAL " + setting));
            }
            for (AnnotationEventHandlerAdapter handler : handlers) {
                try {
                    handler.handle(event);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot apply event " + event.getIdentifier(), e);
                }
            }
        }
        if (work.unitOfWork != null && chunk.endsBatch()) {
            UnitOfWork<?> done = work.unitOfWork;
            work.unitOfWork = null; // a commit that fails rolls itself back
            TokenPositions.exactInThisThread(work.exactPositions); // the batches write their rows on commit
            done.commit();
        } else if (work.unitOfWork != null) {
            TokenPositions.exactInThisThread(work.exactPositions);
            BatchWrites.writeNow(lane.segment().getMask() == 0); // not held for 10,000 events
        }
        if (chunk.endsBatch()) {
            work.exactPositions = true;
        }
    }

    private static void rollBack(UnitOfWork<?> unitOfWork, Throwable cause) {
        if (unitOfWork.phase() != UnitOfWork.Phase.STARTED) {
            return; // an attach that failed has rolled it back already
        }
        try {
            unitOfWork.rollback(cause);
        } catch (RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /** The handlers of a payload type, looked up once per type: by far cheaper than per event. */
    private static List<AnnotationEventHandlerAdapter> handlersOf(Class<?> type, List<AnnotationEventHandlerAdapter> handlers,
                                                                  Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType) {
        List<AnnotationEventHandlerAdapter> found = byType.get(type); // no lambda made per event, as computeIfAbsent's
        if (found == null) {
            found = handlers.stream().filter(a -> a.canHandleType(type)).toList();
            byType.put(type, found);
        }
        return found;
    }

    /** What the live processors split segments by: Axon's default policy, the aggregate. */
    private static Object sequenceOf(TrackedEventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : event.getIdentifier();
    }
}
