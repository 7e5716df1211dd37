package dev.referralledger.api.config;

import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.projections.referral.ReferralPipelineProjection;
import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event processors and the event store's reader have connections of their own. On a database of its own: no
 * other test's application may claim the pipeline's segments while this one's processor is stopped.
 */
class ConnectionPoolsApiTest extends ApiTestSupport {

    private static String database;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        database = useOwnDatabase(registry, "connection_pools");
    }

    @Autowired
    ConnectionPools pools;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    JdbcTemplate jdbc;

    private static String applicationName(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The {@code application_name} of a connection a thread of {@code threads} takes from the pools after {@code first}. */
    private String applicationNameSeenBy(ThreadFactory threads, Runnable first) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread thread = threads.newThread(() -> {
            first.run();
            try (Connection connection = pools.getConnection()) {
                seen.set(applicationName(connection));
            } catch (SQLException e) {
                seen.set(e.toString());
            }
        });
        thread.start();
        thread.join();
        return seen.get();
    }

    @Test
    void aProcessorThreadTakesItsConnectionsFromTheProcessorsPool() throws Exception {
        try (Connection connection = pools.getConnection()) {
            assertThat(applicationName(connection)).isEqualTo("ledger");
        }
        assertThat(applicationNameSeenBy(ConnectionPools.processorThreads(Executors.defaultThreadFactory()), () -> { }))
                .isEqualTo("ledger-processors");
    }

    /** Any other thread that runs a processor's transaction (here the test's) is one only while it runs. */
    @Test
    void aProcessorsTransactionOnAnotherThreadMarksItOnlyWhileItRuns() throws Exception {
        TransactionManager pipeline = processing.transactionManager(ReferralPipelineProjection.NAME);
        assertThat(pipeline.fetchInTransaction(() -> jdbc.queryForObject("SELECT current_setting('application_name')",
                String.class))).isEqualTo("ledger-processors");
        try (Connection connection = pools.getConnection()) {
            assertThat(applicationName(connection)).isEqualTo("ledger");
        }
        // a thread of an event processor (Axon's thread group) stays one after its first transaction
        assertThat(applicationNameSeenBy(task -> new Thread(new ThreadGroup("EventProcessor[test]"), task),
                () -> pipeline.executeInTransaction(() -> jdbc.execute("SELECT 1")))).isEqualTo("ledger-processors");
        // and Axon's processor threads are in such groups
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("EventProcessor[referral-pipeline]"))
                .isNotEmpty().allSatisfy(t -> assertThat(t.getThreadGroup().getName()).startsWith("EventProcessor["));
    }

    /**
     * With every connection of the requests' pool taken, as by a burst of writes, the pipeline still catches up:
     * its processor, stopped while a referral was written, is started again and projects it.
     */
    @Test
    void theProjectionsCatchUpWhileRequestsHoldEveryConnectionOfTheirPool() throws Exception {
        Client api = newTenant();
        EventProcessor pipeline = processing.eventProcessor(ReferralPipelineProjection.NAME).orElseThrow();
        pipeline.shutDown();
        List<Connection> taken = new ArrayList<>();
        try {
            String id = api.post("/api/v1/referrals", referralBody("busy@example.com"), "Prefer", "respond-async")
                    .json().path("id").asText();
            for (int i = 0; i < pools.requests().getMaximumPoolSize(); i++) {
                taken.add(pools.requests().getConnection());
            }
            assertThat(pools.requests().getHikariPoolMXBean().getIdleConnections()).isZero();
            pipeline.start();
            assertThat(projectedWithin(id, 10_000)).as("projected while the requests' pool is exhausted").isTrue();
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
            pipeline.start();
        }
    }

    /**
     * The reader's query of new events (run again every 200 ms, the fetch delay) runs on the processors'
     * connections, never on the requests'.
     */
    @Test
    void theEventStoresReaderReadsOnTheProcessorsConnections() throws Exception {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("reader@example.com")).json().path("id").asText();
        assertThat(projectedWithin(id, 10_000)).isTrue();
        Set<String> names = new TreeSet<>();
        try (Connection c = direct(); PreparedStatement q = c.prepareStatement("""
                SELECT DISTINCT application_name FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND query LIKE '%FROM domain_event_entry%global_index > %'
                  AND query_start > now() - interval '1 second'""")) {
            for (int sample = 0; sample < 20; sample++) {
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                Thread.sleep(100);
            }
        }
        assertThat(names).containsExactly("ledger-processors");
    }

    private static Connection direct() throws SQLException {
        return DriverManager.getConnection(database, TestDatabase.user(), TestDatabase.password());
    }

    /** Looks for the referral's row outside the application's pools. */
    private static boolean projectedWithin(String referralId, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        try (Connection c = direct();
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM referral_pipeline WHERE referral_id = ?")) {
            q.setString(1, referralId);
            while (System.currentTimeMillis() < deadline) {
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
                Thread.sleep(20);
            }
        }
        return false;
    }
}
