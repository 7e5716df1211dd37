package dev.referralledger.projections.referral;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReversalKind;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.AppliedPositions;
import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline projection against real PostgreSQL. */
class ReferralPipelineProjectionTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final AppliedPositions applied = new AppliedPositions();
    private final ReferralPipelineProjection projection = new ReferralPipelineProjection(jdbc, new ObjectMapper(), applied);
    private final ReferralQueries queries = new ReferralQueries(jdbc, new ObjectMapper(), applied, Duration.ofMillis(200));
    private final String tenant = "t-" + UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");

    private ReferralReceived received(String id, String advocateEmail) {
        return new ReferralReceived(id, tenant, new Advocate("Pat", advocateEmail, null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", null), List.of(), "agent-1", Channel.API,
                null, null, new Money(new BigDecimal("10.00"), "USD"), Map.of("k", "v"),
                null, null, null, null, null, null, null, null, null);
    }

    private Map<String, Object> stats(String email) {
        return jdbc.queryForMap("SELECT * FROM advocate_stats WHERE tenant_id = ? AND advocate_key = ?",
                tenant, "email:" + email);
    }

    @Test
    void anErasureInTheSameBatchAsTheReferralLandsAfterItAndKeepsTheFigures() {
        String id = UUID.randomUUID().toString();
        ReferralReceived withPeople = new ReferralReceived(id, tenant, new Advocate("Pat", "pat@example.com", null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", null),
                List.of(new dev.referralledger.core.referral.Contact("John", "john@example.com", null, true)), "agent-1",
                Channel.IMPORT, null, "Sam sells", new Money(new BigDecimal("10.00"), "USD"), Map.of(), null,
                "adv-" + id, "sam-" + id, null, null, null, null, null, Instant.parse("2020-02-02T10:00:00Z"));

        var unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        projection.on(withPeople, 0, t0, new GlobalSequenceTrackingToken(70));
        projection.on(new dev.referralledger.core.person.PersonErased("sam-" + id, tenant, List.of(), 1));
        unitOfWork.commit();

        ReferralView view = queries.find(new FindReferral(tenant, id));
        assertThat(view.referred()).isEqualTo(new ReferredPerson("[erased]", "[erased]", "[erased]", "[erased]"));
        assertThat(view.notes()).isEqualTo("[erased]");
        assertThat(view.contacts()).isEmpty();
        assertThat(view.referrer().email()).isEqualTo("pat@example.com");
        assertThat(view.expectedValue()).isEqualTo(new Money(new BigDecimal("10.00"), "USD"));
        // an import keeps when the source system received it, not when it was recorded
        assertThat(view.createdAt()).isEqualTo(Instant.parse("2020-02-02T10:00:00Z"));
    }

    @Test
    void applyingEveryEventTwiceChangesNothing() {
        String id = UUID.randomUUID().toString();
        for (int round = 0; round < 2; round++) {
            projection.on(received(id, "pat@example.com"), 0, t0, new GlobalSequenceTrackingToken(10));
            projection.on(new ReferralContacted(id, tenant, null), 1, t0.plusSeconds(60), new GlobalSequenceTrackingToken(11));
            projection.on(new ReferralConverted(id, tenant, "deal-1", new Money(new BigDecimal("99.50"), "USD"), null,
                    null, null, null, null, null),
                    2, t0.plusSeconds(120), new GlobalSequenceTrackingToken(12));
        }
        ReferralView view = queries.find(new FindReferral(tenant, id));
        assertThat(view.status()).isEqualTo("CONVERTED");
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.dealValue()).isEqualTo(new Money(new BigDecimal("99.50"), "USD"));
        assertThat(view.contactedAt()).isEqualTo(t0.plusSeconds(60));
        Map<String, Object> stats = stats("pat@example.com");
        assertThat(stats.get("total_referrals")).isEqualTo(1L);
        assertThat(stats.get("received")).isEqualTo(0L);
        assertThat(stats.get("contacted")).isEqualTo(0L);
        assertThat(stats.get("converted")).isEqualTo(1L);
    }

    @Test
    void aProcessorBatchIsWrittenWhenItCommits() {
        String before = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        projection.on(received(before, "batch@example.com"), 0, t0, new GlobalSequenceTrackingToken(50));

        var unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        projection.on(received(fresh, "batch@example.com"), 0, t0.plusSeconds(1), new GlobalSequenceTrackingToken(51));
        projection.on(new ReferralContacted(fresh, tenant, null), 1, t0.plusSeconds(2), new GlobalSequenceTrackingToken(52));
        projection.on(new ReferralContacted(before, tenant, null), 1, t0.plusSeconds(3), new GlobalSequenceTrackingToken(53));
        projection.on(received(fresh, "batch@example.com"), 0, t0.plusSeconds(1), new GlobalSequenceTrackingToken(51));
        assertThat(queries.find(new FindReferral(tenant, fresh))).as("nothing is written before commit").isNull();
        unitOfWork.commit();

        assertThat(queries.find(new FindReferral(tenant, fresh)).status()).isEqualTo("CONTACTED");
        assertThat(queries.find(new FindReferral(tenant, fresh)).version()).isEqualTo(1);
        assertThat(queries.find(new FindReferral(tenant, before)).status()).isEqualTo("CONTACTED");
        Map<String, Object> stats = stats("batch@example.com");
        assertThat(stats.get("total_referrals")).isEqualTo(2L);
        assertThat(stats.get("received")).isEqualTo(0L);
        assertThat(stats.get("contacted")).isEqualTo(2L);
        assertThat(queries.awaitVersion(fresh, 1)).isTrue();
    }

    /**
     * Positions are the events' own. A processor's token is ahead of an event that committed after a later
     * position; stored, that would make the row depend on commit timing and give two referrals one position.
     */
    @Test
    void positionsAreTheEventsOwnNotTheProcessorsTokenAhead() {
        String id = UUID.randomUUID().toString();
        long[] own = new long[2];
        for (int sequence = 0; sequence < 2; sequence++) {
            own[sequence] = jdbc.queryForObject("""
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                    time_stamp, payload_type, payload)
                    VALUES (?, ?, ?, 'Referral', '2026-11-01T09:00:00Z', 'x', '\\x7b7d'::bytea) RETURNING global_index""",
                    Long.class, UUID.randomUUID().toString(), id, sequence);
        }
        projection.on(received(id, "late@example.com"), 0, t0, new GlobalSequenceTrackingToken(own[1] + 40));
        projection.on(new ReferralContacted(id, tenant, null), 1, t0.plusSeconds(60), new GlobalSequenceTrackingToken(own[1] + 41));

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM referral_pipeline WHERE referral_id = ?", id);
        assertThat(row.get("received_position")).isEqualTo(own[0]);
        assertThat(row.get("last_event_position")).isEqualTo(own[1]);
    }

    /** A replay or an import hands a referral's whole history to one batch: the reversal must not be lost. */
    @Test
    void aReferralReceivedConvertedAndReversedInOneBatchKeepsItsReversal() {
        String id = UUID.randomUUID().toString();
        var unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        projection.on(received(id, "replay@example.com"), 0, t0, new GlobalSequenceTrackingToken(60));
        projection.on(new ReferralConverted(id, tenant, "deal-9", new Money(new BigDecimal("200.00"), "USD"), null,
                null, null, null, null, null), 1, t0.plusSeconds(60), new GlobalSequenceTrackingToken(61));
        projection.on(new ConversionReversed(id, tenant, "deal-9", ReversalKind.REFUND, new Money(new BigDecimal("200.00"), "USD"),
                null, true, null, t0.plusSeconds(120), null, null, null, null), 2, t0.plusSeconds(120),
                new GlobalSequenceTrackingToken(62));
        unitOfWork.commit();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM referral_pipeline WHERE referral_id = ?", id);
        assertThat(row.get("status")).isEqualTo("CONVERTED");
        assertThat((BigDecimal) row.get("reversed_value")).isEqualByComparingTo("200");
        assertThat(row.get("reversal_kind")).isEqualTo("REFUND");
        assertThat(row.get("fully_reversed")).isEqualTo(true);
        assertThat(row.get("reversed_at")).isNotNull();
    }

    @Test
    void advocateStatsCountReferralsPerCurrentStatus() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        projection.on(received(a, "max@example.com"), 0, t0, new GlobalSequenceTrackingToken(20));
        projection.on(received(b, "max@example.com"), 0, t0.plusSeconds(5), new GlobalSequenceTrackingToken(21));
        projection.on(new ReferralContacted(a, tenant, null), 1, t0.plusSeconds(9), new GlobalSequenceTrackingToken(22));
        Map<String, Object> stats = stats("max@example.com");
        assertThat(stats.get("total_referrals")).isEqualTo(2L);
        assertThat(stats.get("received")).isEqualTo(1L);
        assertThat(stats.get("contacted")).isEqualTo(1L);
        // a stage change is not a referral: first and last referral times stay those of the referrals
        assertThat(((java.sql.Timestamp) stats.get("first_referral_at")).toInstant()).isEqualTo(t0);
        assertThat(((java.sql.Timestamp) stats.get("last_referral_at")).toInstant()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void anotherTenantDoesNotSeeTheRow() {
        String id = UUID.randomUUID().toString();
        projection.on(received(id, "pat@example.com"), 0, t0, new GlobalSequenceTrackingToken(30));
        assertThat(queries.find(new FindReferral("someone-else", id))).isNull();
        assertThat(queries.find(new FindReferral(tenant, id))).isNotNull();
    }

    @Test
    void aWriterWaitsForItsOwnVersion() throws Exception {
        String id = UUID.randomUUID().toString();
        projection.on(received(id, "wait@example.com"), 0, t0, new GlobalSequenceTrackingToken(40));
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            projection.on(new ReferralContacted(id, tenant, null), 1, t0.plusSeconds(1), new GlobalSequenceTrackingToken(41));
        });
        later.start();
        ReferralQueries patient = new ReferralQueries(jdbc, new ObjectMapper(), applied, Duration.ofSeconds(5));
        assertThat(patient.awaitVersion(id, 1)).isTrue();
        later.join();
        assertThat(patient.find(new FindReferral(tenant, id)).status()).isEqualTo("CONTACTED");
        assertThat(queries.awaitVersion(id, 7)).as("gives up after its timeout").isFalse();
    }

    @Test
    void listIsNewestFirstWithAStableCursor() {
        for (int i = 0; i < 5; i++) {
            projection.on(received(UUID.randomUUID().toString(), "list@example.com"), 0, t0.plusSeconds(i),
                    new GlobalSequenceTrackingToken(100 + i));
        }
        ReferralPage first = queries.list(new ListReferrals(tenant, null, null, null, null, null, null, 2, null, null, null, null));
        assertThat(first.items()).hasSize(2);
        assertThat(first.items().get(0).createdAt()).isEqualTo(t0.plusSeconds(4));
        // a new referral arriving between pages does not shift the next page
        projection.on(received(UUID.randomUUID().toString(), "list@example.com"), 0, t0.plusSeconds(10),
                new GlobalSequenceTrackingToken(200));
        ReferralPage second = queries.list(new ListReferrals(tenant, null, null, null, null, null, null, 2,
                Long.parseLong(first.nextCursor()), null, null, null));
        assertThat(second.items()).extracting(ReferralView::createdAt)
                .containsExactly(t0.plusSeconds(2), t0.plusSeconds(1));
        ReferralPage last = queries.list(new ListReferrals(tenant, null, null, null, null, null, null, 2,
                Long.parseLong(second.nextCursor()), null, null, null));
        assertThat(last.items()).hasSize(1);
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void aRebuildLaneWritesTheRowsEarlyAndTheCountersAtTheCommit() {
        String id = UUID.randomUUID().toString();
        String email = id + "@example.com";
        java.util.function.Supplier<Integer> rows = () -> jdbc.queryForObject(
                "SELECT count(*) FROM referral_pipeline WHERE referral_id = ?", Integer.class, id);
        java.util.function.Supplier<Integer> counters = () -> jdbc.queryForObject(
                "SELECT count(*) FROM advocate_stats WHERE tenant_id = ? AND advocate_key = ?", Integer.class,
                tenant, "email:" + email);

        var live = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("live batch"));
        projection.on(received(id, email), 0, t0, new GlobalSequenceTrackingToken(300));
        dev.referralledger.projections.BatchWrites.writeNow(true);
        assertThat(rows.get()).as("a live processor's batch is written at its commit only").isZero();
        live.rollback();

        var lane = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("rebuild lane"));
        dev.referralledger.projections.BatchWrites.allowEarly(lane);
        projection.on(received(id, email), 0, t0, new GlobalSequenceTrackingToken(300));
        dev.referralledger.projections.BatchWrites.writeNow(false);
        assertThat(rows.get()).as("changed since the last call: may change again").isZero();
        dev.referralledger.projections.BatchWrites.writeNow(false);
        assertThat(rows.get()).as("settled: the referral's row, written before the commit").isEqualTo(1);
        assertThat(counters.get()).as("two lanes share the advocate: locked at the commit, in key order").isZero();
        projection.on(new ReferralContacted(id, tenant, null), 1, t0.plusSeconds(60), new GlobalSequenceTrackingToken(301));
        dev.referralledger.projections.BatchWrites.writeNow(false);
        dev.referralledger.projections.BatchWrites.writeNow(false);
        assertThat(jdbc.queryForObject("SELECT status FROM referral_pipeline WHERE referral_id = ?", String.class, id))
                .isEqualTo("CONTACTED");
        lane.commit();

        assertThat(queries.find(new FindReferral(tenant, id)).status()).isEqualTo("CONTACTED");
        assertThat(stats(email)).containsEntry("total_referrals", 1L).containsEntry("received", 0L)
                .containsEntry("contacted", 1L);
    }
}
