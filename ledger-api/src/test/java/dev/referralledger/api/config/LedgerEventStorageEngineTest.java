package dev.referralledger.api.config;

import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-made parser of stored event times reads every text exactly as Axon's formatter does; the event store's
 * reader thread stops at the head, other streams go on as Axon's.
 */
class LedgerEventStorageEngineTest {

    /** Statements prepared on the engine's connections, and transactions it started. */
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private DataSource database;

    /** An engine reading 2 events per query from a new store of {@code events} events. */
    private LedgerEventStorageEngine storeOf(int events) {
        // a store of its own: the global index counts from its first event
        String url = TestDatabase.fresh("event_reader");
        Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password())
                .locations("classpath:db/migration").load().migrate();
        database = new DriverManagerDataSource(url, TestDatabase.user(), TestDatabase.password());
        ConnectionProvider counting = () -> {
            Connection connection = database.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement")) {
                            statements.incrementAndGet();
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
        LedgerEventStorageEngine engine = new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .eventSerializer(JacksonSerializer.defaultSerializer())
                .connectionProvider(counting)
                .transactionManager(LedgerEventStorageEngine.readerWithoutTransactions(() -> {
                    transactions.incrementAndGet();
                    return NoTransactionManager.INSTANCE.startTransaction();
                }))
                .schema(new AxonConfig().eventSchema())
                .batchSize(2));
        List<DomainEventMessage<?>> written = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            written.add(new GenericDomainEventMessage<>("Test", "aggregate-1", i, "event " + i,
                    java.util.Map.of("n", "meta " + i)));
        }
        engine.appendEvents(written);
        assertThat(transactions).as("an append has its transaction").hasValue(1);
        statements.set(0);
        transactions.set(0);
        return engine;
    }

    /** After the store's first event: Axon reads windows of global indexes, (1, 3], (3, 5], ... */
    private static final GapAwareTrackingToken AFTER_THE_FIRST = GapAwareTrackingToken.newInstance(1, List.of());

    @Test
    void theReaderThreadsStreamEndsAtABatchSmallerThanAFullOne() {
        LedgerEventStorageEngine engine = storeOf(4);

        List<? extends TrackedEventMessage<?>> read = engine.readEvents(AFTER_THE_FIRST, true).toList();

        assertThat(read.stream().map(e -> (Object) e.getPayload()).toList()).containsExactly("event 1", "event 2", "event 3");
        assertThat(statements).as("a full batch, then one of one event: the head").hasValue(2);
        assertThat(transactions).as("each query on its own").hasValue(0);
    }

    @Test
    void otherStreamsReadUntilABatchComesBackEmptyAsAxonsDo() {
        LedgerEventStorageEngine engine = storeOf(4);

        assertThat(engine.readEvents(AFTER_THE_FIRST, false).toList()).hasSize(3);
        assertThat(statements).as("two batches, an empty one, and the look for a gap wider than a batch").hasValue(4);
        assertThat(transactions).as("one per batch, as Axon reads").hasValue(3);
    }

    @Test
    void aStoreOfWholeBatchesIsReadToTheEndWithOneEmptyBatch() {
        LedgerEventStorageEngine engine = storeOf(5);

        assertThat(engine.readEvents(AFTER_THE_FIRST, true).toList()).hasSize(4);
        assertThat(statements).as("two full batches, then an empty one and the look ahead").hasValue(4);
    }

    @Test
    void anEventStoredWithoutMetaDataIsReadWithNoneInsteadOfStoppingTheReader() {
        LedgerEventStorageEngine engine = storeOf(3);
        try (Connection c = database.getConnection(); var update = c.createStatement()) {
            // as a tool writing into the table directly might leave it; the ledger always stores an object
            update.execute("UPDATE domain_event_entry SET meta_data = NULL WHERE global_index = 2");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        List<? extends TrackedEventMessage<?>> read = engine.readEvents(AFTER_THE_FIRST, true).toList();

        assertThat(read.stream().map(e -> (Object) e.getPayload()).toList()).containsExactly("event 1", "event 2");
        assertThat(read.get(0).getMetaData()).isEmpty();
        assertThat(read.get(1).getMetaData()).containsEntry("n", "meta 2");
    }

    @Test
    void tokensAndTimesAreAxonsOwnAcrossGapsYoungAndOld() throws Exception {
        LedgerEventStorageEngine engine = storeOf(12);
        try (Connection c = database.getConnection(); var update = c.createStatement()) {
            // positions 4 and 9 never committed; the events up to 6 were stored two minutes ago, past the gap
            // timeout, those after it just now: the gap at 4 is given up, the one at 9 may still fill
            update.execute("DELETE FROM domain_event_entry WHERE global_index IN (4, 9)");
            update.execute("UPDATE domain_event_entry SET time_stamp = '" + DateTimeUtils.formatInstant(
                    Instant.now().minusSeconds(120)) + "' WHERE global_index <= 6");
        }
        JdbcEventStorageEngine axon = JdbcEventStorageEngine.builder()
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .eventSerializer(JacksonSerializer.defaultSerializer())
                .connectionProvider(database::getConnection)
                .transactionManager(NoTransactionManager.INSTANCE)
                .schema(new AxonConfig().eventSchema())
                .batchSize(2)
                .build();

        for (GapAwareTrackingToken after : java.util.Arrays.asList(null, AFTER_THE_FIRST,
                GapAwareTrackingToken.newInstance(7, List.of(4L)))) {
            List<? extends TrackedEventMessage<?>> ours = engine.readEvents(after, false).toList();
            List<? extends TrackedEventMessage<?>> theirs = axon.readEvents(after, false).toList();

            assertThat(ours).as("after %s", after).hasSize(theirs.size()).isNotEmpty();
            for (int i = 0; i < ours.size(); i++) {
                // compared by index and gaps: a token's equals overlooks gaps below where it truncated them
                GapAwareTrackingToken our = (GapAwareTrackingToken) ours.get(i).trackingToken();
                GapAwareTrackingToken their = (GapAwareTrackingToken) theirs.get(i).trackingToken();
                assertThat(our.getIndex()).as("index of event %d after %s", i, after).isEqualTo(their.getIndex());
                assertThat(our.getGaps()).as("gaps at event %d after %s", i, after).isEqualTo(their.getGaps());
                assertThat(ours.get(i).getTimestamp()).isEqualTo(theirs.get(i).getTimestamp());
                assertThat((Object) ours.get(i).getPayload()).isEqualTo(theirs.get(i).getPayload());
                assertThat(ours.get(i).getMetaData()).isEqualTo(theirs.get(i).getMetaData());
            }
        }
        GapAwareTrackingToken last = (GapAwareTrackingToken) engine.readEvents(null, false).toList().get(9).trackingToken();
        assertThat(last.getIndex()).isEqualTo(12);
        assertThat(last.getGaps()).as("the young gap kept, the old one given up").containsExactly(9L);
    }

    @Test
    void readsWhatAxonWritesAsAxonReadsIt() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            // from 1900 to 2200, any nanosecond
            Instant at = Instant.ofEpochSecond(-2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L),
                    random.nextInt(1_000_000_000));
            String stored = DateTimeUtils.formatInstant(at);
            assertThat(LedgerEventStorageEngine.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    @Test
    void everyLengthOfFractionAndTheEdgesOfTheCalendar() {
        List<String> texts = List.of("2026-11-21T21:52:29Z", "2026-11-21T21:52:29.1Z", "2026-11-21T21:52:29.12Z",
                "2026-11-21T21:52:29.123Z", "2026-11-21T21:52:29.1234Z", "2026-11-21T21:52:29.123456Z",
                "2026-11-21T21:52:29.123456789Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "2000-12-31T00:00:00.000Z",
                // not plain UTC: left to Axon's formatter
                "2026-11-21T21:52:29+01:00", "2026-11-21T21:52:29.5+05:30");
        for (String text : texts) {
            assertThat(LedgerEventStorageEngine.parse(text)).as(text).isEqualTo(DateTimeUtils.parseInstant(text));
        }
    }

    @Test
    void oddTextEndsAsItDoesInAxonWhetherReadOrRefused() {
        // Axon's formatter resolves some of these (29 February 2025 becomes the 28th, 24:00 the next day)
        for (String text : List.of("2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z",
                "2026-11-21T21:52:29.Z", "2026-11-21T21:5a:29Z", "2026-11-21T21:52:29.1234567890Z", "yesterday")) {
            Instant axon;
            try {
                axon = DateTimeUtils.parseInstant(text);
            } catch (RuntimeException refused) {
                assertThatThrownBy(() -> LedgerEventStorageEngine.parse(text)).as(text).isInstanceOf(refused.getClass());
                continue;
            }
            assertThat(LedgerEventStorageEngine.parse(text)).as(text).isEqualTo(axon);
        }
    }
}
