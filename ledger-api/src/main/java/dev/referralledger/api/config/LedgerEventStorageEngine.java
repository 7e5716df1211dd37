package dev.referralledger.api.config;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Axon's JDBC storage engine, with two changes: the reader thread's stream ends at the head ({@link #readEventData})
 * and reads outside a transaction ({@link #readerWithoutTransactions}); and the time stamp of each event it streams
 * to the processors (and to a rebuild) is read from its stored text by hand, once ({@link #getTrackedEventData}).
 * Axon parses that text with a general ISO formatter every time an event's time is asked for, itself included: in
 * a rebuild of 1,000,000 events, a quarter of everything the JVM allocated and a third of the reader's CPU (JFR).
 */
final class LedgerEventStorageEngine extends JdbcEventStorageEngine {

    /** Set while the reader thread queries: its reads need no transaction. */
    private static final ThreadLocal<Boolean> READING_UP_TO_THE_HEAD = ThreadLocal.withInitial(() -> false);

    /**
     * How the engine treats a position missing between two stored events (a transaction that took it has not
     * committed yet, or rolled back): a token remembers at most {@value #MAX_GAP_OFFSET} positions behind its own as
     * gaps still to fill, and only while the event after them is younger than {@value #GAP_TIMEOUT_MILLIS} ms;
     * older gaps are given up. Axon's defaults, set here because {@link #getTrackedEventData} applies them itself.
     */
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;

    LedgerEventStorageEngine(Builder builder) {
        super(builder.maxGapOffset(MAX_GAP_OFFSET).gapTimeout(GAP_TIMEOUT_MILLIS)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE));
    }

    /**
     * The transaction manager to build the engine with: {@code transactions}, except for the reader thread's
     * queries, which run each on its own (PostgreSQL's autocommit) instead of between a {@code BEGIN} and a
     * {@code COMMIT}: they only read, and Axon never asks them to see one snapshot. Appends, snapshots and every
     * other read keep their transaction.
     */
    static TransactionManager readerWithoutTransactions(TransactionManager transactions) {
        return () -> READING_UP_TO_THE_HEAD.get() ? NoTransactionManager.INSTANCE.startTransaction()
                : transactions.startTransaction();
    }

    /**
     * The event store's reader thread, the one caller whose stream may block, stops at a batch smaller than a full
     * one: it has read up to the head. Axon's stream reads on until a batch comes back empty, and each empty batch
     * costs a second query (its look for a gap wider than a batch); with the reader's own second look after finding
     * events, every wake-up cost five statements, now three. The reader comes back when woken by the next commit of
     * this process, or after the fetch delay. Other streams (processors behind the reader's cache, a rebuild) are
     * Axon's: they wait on their stream and must not see it end.
     */
    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        if (!mayBlock) {
            return super.readEventData(trackingToken, false);
        }
        int batchSize = batchSize();
        Spliterator<TrackedEventData<?>> upToTheHead = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.NONNULL | Spliterator.ORDERED) {
            private TrackingToken last = trackingToken;
            private Iterator<? extends TrackedEventData<?>> batch = Collections.emptyIterator();
            private boolean headReached;

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
                if (!batch.hasNext()) {
                    if (headReached) {
                        return false;
                    }
                    List<? extends TrackedEventData<?>> read;
                    READING_UP_TO_THE_HEAD.set(true);
                    try {
                        read = fetchTrackedEvents(last, batchSize);
                    } finally {
                        READING_UP_TO_THE_HEAD.set(false);
                    }
                    headReached = read.size() < batchSize;
                    batch = read.iterator();
                    if (!batch.hasNext()) {
                        return false;
                    }
                }
                TrackedEventData<?> next = batch.next();
                last = next.trackingToken();
                action.accept(next);
                return true;
            }
        };
        return StreamSupport.stream(upToTheHead, false);
    }

    /**
     * One stored event and the token after it. Axon's own version parses the event's time with its general ISO
     * formatter to decide whether the gaps before it may still fill, then again whenever a handler asks for the
     * time: a third of the reader thread's CPU samples in a rebuild. Here the time is parsed once, by hand
     * ({@link #parse}), and the token follows the rules of Axon's gap-aware token: the first event read after no
     * token counts every missing position from the lowest one as a gap; each later one advances the token, keeping
     * at most {@value #MAX_GAP_OFFSET} gaps; and an event older than the gap timeout gives up the gaps before it,
     * as a transaction still holding such a position would long have timed out.
     */
    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet row, GapAwareTrackingToken previousToken)
            throws SQLException {
        EventSchema columns = schema();
        long position = row.getLong(columns.globalIndexColumn());
        String aggregate = row.getString(columns.aggregateIdentifierColumn());
        String identifier = row.getString(columns.eventIdentifierColumn());
        String storedTime = String.valueOf(readTimeStamp(row, columns.timestampColumn()));
        Instant time = parse(storedTime);
        GenericDomainEventEntry<?> entry = new GenericDomainEventEntry<>(row.getString(columns.typeColumn()),
                identifier.equals(aggregate) ? null : aggregate, // how Axon stores an event of no aggregate
                row.getLong(columns.sequenceNumberColumn()), identifier, storedTime,
                row.getString(columns.payloadTypeColumn()), row.getString(columns.payloadRevisionColumn()),
                readPayload(row, columns.payloadColumn()), readPayload(row, columns.metaDataColumn()));
        boolean gapsMayFill = time.isAfter(Instant.now().minusMillis(GAP_TIMEOUT_MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            SortedSet<Long> gaps = new TreeSet<>();
            for (long missing = Math.min(LOWEST_GLOBAL_SEQUENCE, position); gapsMayFill && missing < position; missing++) {
                gaps.add(missing);
            }
            token = GapAwareTrackingToken.newInstance(position, gaps);
        } else {
            token = previousToken.advanceTo(position, MAX_GAP_OFFSET);
            if (!gapsMayFill) {
                token = token.withGapsTruncatedAt(position);
            }
        }
        return new Stamped<>(new TrackedDomainEventData<>(token, entry), time);
    }

    /** Parses {@code 2026-11-21T21:52:29.109Z} (what Axon writes; 0 to 9 digits of fraction), or asks Axon. */
    static Instant parse(String text) {
        Instant plain = UtcInstantText.parse(text);
        return plain != null ? plain : DateTimeUtils.parseInstant(text);
    }

    /** The metadata of an event stored without any: an empty JSON object. */
    private static final byte[] NO_META_DATA = "{}".getBytes(StandardCharsets.UTF_8);

    /**
     * An event as read, with its time parsed once. An event stored without metadata (written by
     * something other than the ledger: the application always stores an object) reads as having none, where
     * Axon's entry fails on it and the reader thread, retrying, would hold every processor at that event.
     */
    private static final class Stamped<T> implements TrackedEventData<T>, DomainEventData<T> {
        private final TrackedDomainEventData<T> event;
        private final Instant time;

        Stamped(TrackedDomainEventData<T> event, Instant time) {
            this.event = event;
            this.time = time;
        }

        @Override
        public Instant getTimestamp() {
            return time;
        }

        @Override
        public TrackingToken trackingToken() {
            return event.trackingToken();
        }

        @Override
        public String getEventIdentifier() {
            return event.getEventIdentifier();
        }

        @Override
        @SuppressWarnings("unchecked") // the JDBC engine stores metadata as bytes
        public SerializedObject<T> getMetaData() {
            try {
                return event.getMetaData();
            } catch (NullPointerException storedWithoutMetaData) {
                // Axon's entry has no other way to say its column was null; checking the column for every event
                // would decode its bytes a second time
                return new SerializedMetaData<>((T) NO_META_DATA, (Class<T>) byte[].class);
            }
        }

        @Override
        public SerializedObject<T> getPayload() {
            return event.getPayload();
        }

        @Override
        public String getType() {
            return event.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return event.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return event.getSequenceNumber();
        }
    }
}
