package dev.referralledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tamper evidence against PostgreSQL: a clean ledger verifies; a changed, removed, re-chained or inserted event
 * is caught with its position; checkpoints cover every event, also when events commit while the sealer runs.
 * A database of its own: the tests change stored events (and put them back).
 */
@DirtiesContext // a database of its own: close the application after the class, not at the end of the run
@TestPropertySource(properties = {"ledger.audit.seal-min-age=PT0.3S", "ledger.audit.seal-interval=PT1H"})
class EventChainApiTest extends ApiTestSupport {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        String url = TestDatabase.fresh("event_chain");
        registry.add("ledger.test.database-url", () -> url);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    EventSealer sealer;
    @Autowired
    EventChainVerifier verifier;

    private Client api;

    @BeforeEach
    void ledgerWithEvents() {
        api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"Campus\", \"slug\": \"campus\"}").json().path("id").asText();
        String code = api.post("/api/v1/programs/" + program + "/advocates", "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}")
                .json().path("referralCode").asText();
        for (int i = 0; i < 3; i++) {
            String referral = api.post("/api/v1/referrals", """
                    {"referralCode": "%s", "referred": {"firstName": "Sam", "email": "sam%d@example.com"}}""".formatted(code, i))
                    .json().path("id").asText();
            api.post("/api/v1/referrals/" + referral + "/contact", null);
            api.post("/api/v1/referrals/" + referral + "/qualify", null);
        }
        sealAll();
    }

    /** Seals until nothing is pending (two runs: one takes the candidate, the next seals it). */
    private void sealAll() {
        try {
            for (int i = 0; i < 50 && sealer.seal().candidateUpTo() != null; i++) {
                Thread.sleep(100); // the candidate must be older than seal-min-age
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode verify() {
        Answer answer = admin().post("/admin/verify/events", null);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.json();
    }

    /** An event of some aggregate with at least three events, at sequence 1. */
    private Map<String, Object> middleEvent() {
        return jdbc.queryForMap("""
                SELECT global_index, aggregate_identifier, sequence_number FROM domain_event_entry e
                WHERE sequence_number = 1 AND EXISTS (SELECT 1 FROM domain_event_entry n
                    WHERE n.aggregate_identifier = e.aggregate_identifier AND n.sequence_number = 2)
                ORDER BY global_index DESC LIMIT 1""");
    }

    private long positionOf(Object aggregate, long sequence) {
        return jdbc.queryForObject("SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?",
                Long.class, aggregate, sequence);
    }

    @Test
    void aCleanLedgerVerifiesAndItsCheckpointsCoverEveryEvent() {
        JsonNode report = verify();
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("eventsChecked").asLong()).isEqualTo(events).isGreaterThan(10);
        assertThat(report.path("brokenEvent").isNull()).isTrue();
        assertThat(report.path("checkpointsChecked").asLong()).isPositive();
        assertThat(report.path("sealedUpTo").asLong())
                .isEqualTo(jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
        assertThat(jdbc.queryForObject("SELECT sum(event_count) FROM event_checkpoint", Long.class)).isEqualTo(events);
        // each event is chained to its aggregate's previous one
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry e JOIN domain_event_entry p
                  ON p.aggregate_identifier = e.aggregate_identifier AND p.sequence_number = e.sequence_number - 1
                WHERE e.previous_hash = p.event_hash""", Long.class))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE sequence_number > 0", Long.class));
        assertThat(admin().post("/admin/verify/events", null, "Authorization", "Bearer wrong").status()).isEqualTo(401);
    }

    @Test
    void aChangedPayloadIsCaughtAtItsPosition() {
        Map<String, Object> event = middleEvent();
        long position = (Long) event.get("global_index");
        byte[] original = jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE global_index = ?", byte[].class, position);
        jdbc.update("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '\"tenantId\":\"', '\"tenantId\":\"evil-'), 'UTF8') "
                + "WHERE global_index = ?", position);
        assertThat(jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE global_index = ?", byte[].class, position))
                .isNotEqualTo(original);
        try {
            JsonNode report = verify();
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(report.at("/brokenEvent/problem").asText()).isEqualTo("HASH_MISMATCH");
            assertThat(report.at("/brokenEvent/position").asLong()).isEqualTo(position);
            assertThat(report.at("/brokenEvent/aggregateId").asText()).isEqualTo(event.get("aggregate_identifier"));
            assertThat(report.at("/brokenEvent/sequence").asLong()).isEqualTo(1);
            assertThat(report.path("brokenEvents").asLong()).isEqualTo(1);
            // the checkpoints hash the stored event hashes, which are unchanged: the chain is what catches this
        } finally {
            jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?", original, position);
        }
        assertThat(verify().path("ok").asBoolean()).isTrue();
    }

    @Test
    void aChangedEventWhoseHashWasRecomputedBreaksTheLinkToTheNextEvent() {
        Map<String, Object> event = middleEvent();
        long position = (Long) event.get("global_index");
        Map<String, Object> original = jdbc.queryForMap("SELECT payload, event_hash FROM domain_event_entry WHERE global_index = ?", position);
        jdbc.update("""
                UPDATE domain_event_entry SET payload = convert_to('{"forged":true}', 'UTF8') WHERE global_index = ?;
                UPDATE domain_event_entry SET event_hash = ledger_event_hash(previous_hash, event_identifier,
                    aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)
                WHERE global_index = ?""", position, position);
        try {
            JsonNode report = verify();
            assertThat(report.at("/brokenEvent/problem").asText()).isEqualTo("PREVIOUS_HASH_MISMATCH");
            assertThat(report.at("/brokenEvent/position").asLong()).isEqualTo(positionOf(event.get("aggregate_identifier"), 2));
            assertThat(report.at("/brokenEvent/sequence").asLong()).isEqualTo(2);
            // re-chaining the whole aggregate would hide it from the chain, but not from the sealed checkpoint
            assertThat(report.at("/brokenCheckpoint/problem").asText()).isEqualTo("CHECKPOINT_HASH_MISMATCH");
        } finally {
            jdbc.update("UPDATE domain_event_entry SET payload = ?, event_hash = ? WHERE global_index = ?",
                    original.get("payload"), original.get("event_hash"), position);
        }
        assertThat(verify().path("ok").asBoolean()).isTrue();
    }

    @Test
    void aRemovedEventIsCaught() {
        Map<String, Object> event = middleEvent();
        long position = (Long) event.get("global_index");
        long next = positionOf(event.get("aggregate_identifier"), 2);
        jdbc.execute("DROP TABLE IF EXISTS removed_event");
        jdbc.update("CREATE TABLE removed_event AS SELECT * FROM domain_event_entry WHERE global_index = ?", position);
        jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", position);
        try {
            JsonNode report = verify();
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(report.at("/brokenEvent/problem").asText()).isEqualTo("SEQUENCE_GAP");
            assertThat(report.at("/brokenEvent/position").asLong()).isEqualTo(next);
            assertThat(report.at("/brokenEvent/detail").asText()).contains("sequence 1 is missing");
            assertThat(report.at("/brokenCheckpoint/problem").asText()).isEqualTo("CHECKPOINT_EVENT_COUNT");
            assertThat(report.at("/brokenCheckpoint/detail").asText()).contains("removed");
        } finally {
            // the trigger chains it again exactly as it was
            jdbc.update("INSERT INTO domain_event_entry SELECT * FROM removed_event");
            jdbc.execute("DROP TABLE removed_event");
        }
        assertThat(verify().path("ok").asBoolean()).isTrue();
    }

    @Test
    void anInsertedEventInASealedRangeIsCaughtEvenWithAValidChain() {
        // a hole in the positions (as a rolled-back write leaves one), sealed with the events around it
        Long hole = jdbc.queryForObject("SELECT nextval(pg_get_serial_sequence('domain_event_entry', 'global_index'))", Long.class);
        api.post("/api/v1/programs", "{\"name\": \"After\", \"slug\": \"after-" + hole + "\"}");
        sealAll();
        assertThat(verify().path("ok").asBoolean()).isTrue();
        // a forged aggregate slipped into the hole: the trigger even chains it correctly
        jdbc.update("""
                INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload, meta_data)
                VALUES (?, ?, 'forged-aggregate', 0, 'Reward', '2026-01-01T00:00:00Z', 'dev.referralledger.core.reward.Forged',
                    convert_to('{"tenantId":"x"}', 'UTF8'), NULL)""", hole, UUID.randomUUID().toString());
        try {
            JsonNode report = verify();
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(report.path("brokenEvent").isNull()).isTrue();
            assertThat(report.at("/brokenCheckpoint/problem").asText()).isEqualTo("CHECKPOINT_EVENT_COUNT");
            assertThat(report.at("/brokenCheckpoint/detail").asText()).contains("inserted");
            long checkpoint = report.at("/brokenCheckpoint/checkpoint").asLong();
            assertThat(jdbc.queryForObject("SELECT ? BETWEEN from_position AND to_position FROM event_checkpoint WHERE checkpoint_number = ?",
                    Boolean.class, hole, checkpoint)).isTrue();
        } finally {
            jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", hole);
        }
        assertThat(verify().path("ok").asBoolean()).isTrue();
    }

    @Test
    void anEventCommittedLateBelowNewerPositionsIsNotLeftOutOfTheCheckpoints() throws Exception {
        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            long held = insertEvent(slow, "slow-" + UUID.randomUUID());
            // newer events commit while the slow transaction still holds its position
            api.post("/api/v1/programs", "{\"name\": \"Later\", \"slug\": \"later-" + held + "\"}");
            sealer.seal();
            Thread.sleep(400);
            EventSealer.Sealed second = sealer.seal();
            assertThat(second.sealedUpTo()).isLessThan(held);
            assertThat(second.candidateUpTo()).isGreaterThanOrEqualTo(held);
            slow.commit();
        }
        sealAll();
        assertCovered();
    }

    @Test
    void sealingWhileEventsAreWrittenLosesNothing() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Integer>> written = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            written.add(writers.submit(() -> {
                int count = 0;
                while (writing.get()) {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        String aggregate = "load-" + UUID.randomUUID();
                        insertEvent(connection, aggregate);
                        Thread.sleep(count % 7); // transactions of different lengths commit out of position order
                        insertEvent(connection, aggregate, 1);
                        connection.commit();
                        count += 2;
                    }
                }
                return count;
            }));
        }
        int checkpoints = 0;
        long until = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < until) {
            checkpoints += sealer.seal().checkpoints().size();
            Thread.sleep(50);
        }
        writing.set(false);
        int total = 0;
        for (Future<Integer> f : written) {
            total += f.get();
        }
        writers.shutdown();
        assertThat(total).isGreaterThan(20);
        assertThat(checkpoints).isGreaterThan(1);
        sealAll();
        assertCovered();
    }

    private void assertCovered() {
        JsonNode report = verify();
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(jdbc.queryForObject("SELECT sum(event_count) FROM event_checkpoint", Long.class))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class));
        assertThat(report.path("sealedUpTo").asLong())
                .isGreaterThanOrEqualTo(jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
    }

    private static long insertEvent(Connection connection, String aggregate) throws Exception {
        return insertEvent(connection, aggregate, 0);
    }

    private static long insertEvent(Connection connection, String aggregate, long sequence) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload, meta_data)
                VALUES (?, ?, ?, 'Load', '2026-01-01T00:00:00Z', 'dev.referralledger.test.Load', convert_to('{}', 'UTF8'), NULL)
                RETURNING global_index""")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, aggregate);
            insert.setLong(3, sequence);
            try (var rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
