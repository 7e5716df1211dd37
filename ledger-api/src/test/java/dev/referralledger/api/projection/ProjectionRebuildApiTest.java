package dev.referralledger.api.projection;

import dev.referralledger.api.ApiTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.core.referral.ReferralReceived;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every projection rebuilt from the events is what it was, and keeps following new events afterwards. */
class ProjectionRebuildApiTest extends ApiTestSupport {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ProjectionCatalog catalog;

    @Autowired
    private SideTables side;

    @Autowired
    private javax.sql.DataSource dataSource;

    @Autowired
    private ProcessorWakeUp wakeUp;

    @Autowired
    private ProjectionRebuild rebuild;

    @Autowired
    private TransactionManager transactions;

    @Autowired
    private EventStore eventStore;

    private Map<String, List<Map<String, Object>>> snapshot(String tenant) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        tables.put("referral_pipeline", jdbc.queryForList("SELECT * FROM referral_pipeline WHERE tenant_id = ? ORDER BY referral_id", tenant));
        tables.put("advocate_stats", jdbc.queryForList("SELECT * FROM advocate_stats WHERE tenant_id = ? ORDER BY advocate_key", tenant));
        tables.put("program", jdbc.queryForList("SELECT * FROM program WHERE tenant_id = ? ORDER BY program_id", tenant));
        tables.put("program_advocate", jdbc.queryForList("SELECT * FROM program_advocate WHERE tenant_id = ? ORDER BY enrollment_id", tenant));
        tables.put("person", jdbc.queryForList("SELECT * FROM person WHERE tenant_id = ? ORDER BY person_id", tenant));
        tables.put("impression", jdbc.queryForList("SELECT * FROM impression WHERE tenant_id = ? ORDER BY impression_id", tenant));
        tables.put("attribution_entry", jdbc.queryForList(
                "SELECT * FROM attribution_entry WHERE tenant_id = ? ORDER BY source_id, source_sequence", tenant));
        // arrays compare by identity: compare their contents
        tables.values().forEach(rows -> rows.forEach(row -> row.replaceAll((column, value) -> {
            try {
                return value instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : value;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        })));
        return tables;
    }

    @Test
    void rebuildingEveryProjectionGivesTheSameTables() throws Exception {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"Campus\", \"slug\": \"campus\"}").json().path("id").asText();
        String code = api.post("/api/v1/programs/" + program + "/advocates", "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}")
                .json().path("referralCode").asText();
        String impression = api.post("/api/v1/impressions", "{\"referralCode\": \"" + code + "\", \"source\": \"QR\"}")
                .json().path("id").asText();
        String first = api.post("/api/v1/referrals", """
                {"impressionId": "%s", "referred": {"firstName": "Sam", "email": "sam@example.com"}}""".formatted(impression))
                .json().path("id").asText();
        api.post("/api/v1/referrals/" + first + "/contact", null);
        // text a rebuild's COPY must escape: tabs, line breaks, backslashes, its own null marker
        String awkward = api.post("/api/v1/referrals", referralBody("kim@example.com")
                .replace("Selling a condo this spring", "tab\\there\\nnext line \\\\N back\\\\slash")
                .replace("\"spring\"", "\"a\\tb\\\\\"")).json().path("id").asText();
        assertThat(api.post("/api/v1/referrals/" + awkward + "/convert",
                "{\"resultingDealId\": \"deal\\t1\", \"dealValue\": 1000, \"currency\": \"USD\"}").status()).isEqualTo(200);
        api.post("/api/v1/programs/" + program + "/pause", null);
        waitUntil(() -> jdbc.queryForObject("SELECT count(*) FROM impression WHERE tenant_id = ?", Long.class, api.tenantId) == 1
                && jdbc.queryForObject("SELECT count(*) FROM person WHERE tenant_id = ?", Long.class, api.tenantId) == 3
                && jdbc.queryForObject("SELECT count(*) FROM attribution_entry WHERE tenant_id = ?", Long.class, api.tenantId) == 1);
        assertThat(jdbc.queryForObject("SELECT notes FROM referral_pipeline WHERE referral_id = ?", String.class, awkward))
                .isEqualTo("tab\there\nnext line \\N back\\slash");
        Map<String, List<Map<String, Object>>> before = snapshot(api.tenantId);
        assertThat(before.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());

        Answer rebuilt = admin().post("/admin/projections/rebuild", null);
        assertThat(rebuilt.status()).isEqualTo(200);
        assertThat(rebuilt.json().path("events").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(rebuilt.json().path("processors").toString()).contains("referral-pipeline", "directory", "impressions");
        assertThat(snapshot(api.tenantId)).isEqualTo(before);

        // the processors resumed after the last rebuilt event: a new write is projected once, read back at once
        Answer after = api.post("/api/v1/referrals", referralBody("lee@example.com"));
        assertThat(after.status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM referral_pipeline WHERE tenant_id = ?", Long.class, api.tenantId))
                .isEqualTo(3);
        assertThat(api.get("/api/v1/programs/" + program).json().path("status").asText()).isEqualTo("PAUSED");
    }

    /** What later migrations rely on: every projection table's indexes and constraints, by name, and durability. */
    private Map<String, List<Map<String, Object>>> catalogOfProjectionTables() {
        String[] tables = catalog.projections().values().stream().flatMap(p -> p.tables().stream()).toArray(String[]::new);
        Map<String, List<Map<String, Object>>> found = new LinkedHashMap<>();
        found.put("indexes", jdbc.queryForList("""
                SELECT tablename, indexname, indexdef FROM pg_indexes
                WHERE schemaname = 'public' AND tablename::text = ANY (?::text[]) ORDER BY tablename, indexname""",
                (Object) tables));
        found.put("constraints", jdbc.queryForList("""
                SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) AS definition
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname::text = ANY (?::text[])
                ORDER BY c.relname, k.conname""", (Object) tables));
        found.put("tables", jdbc.queryForList("""
                SELECT relname, relpersistence::text, array_to_string(reloptions, ',') AS reloptions,
                       (SELECT array_to_string(t.reloptions, ',') FROM pg_class t WHERE t.oid = pg_class.reltoastrelid) AS toast_options
                FROM pg_class
                WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname::text = ANY (?::text[])
                ORDER BY relname""", (Object) tables));
        return found;
    }

    @Test
    void aRebuildKeepsTheNamesOfEveryIndexAndConstraint() throws Exception {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"Names\", \"slug\": \"names\"}").json().path("id").asText();
        api.post("/api/v1/programs/" + program + "/advocates", "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}");
        api.post("/api/v1/referrals", referralBody("names@example.com"));
        Map<String, List<Map<String, Object>>> before = catalogOfProjectionTables();
        assertThat(before.get("indexes")).extracting(row -> row.get("indexname"))
                .contains("referral_pipeline_status_idx", "referral_pipeline_advocate_person_idx",
                        "attribution_entry_reward_idx", "program_tenant_id_slug_key", "person_tenant_email_idx");
        assertThat(before.get("constraints")).extracting(row -> row.get("conname"))
                .contains("referral_pipeline_pkey", "advocate_stats_pkey", "program_advocate_tenant_id_referral_code_key");
        assertThat(before.get("tables")).hasSize(catalog.projections().values().stream().mapToInt(p -> p.tables().size()).sum())
                .allSatisfy(row -> assertThat(row.get("relpersistence")).isEqualTo("p"))
                .allSatisfy(row -> assertThat(row.get("reloptions")).isNull()); // no autovacuum and 60% pages while filled: reset

        assertThat(admin().post("/admin/projections/rebuild", null).status()).isEqualTo(200);

        // not the names PostgreSQL would make up (referral_pipeline_tenant_id_received_position_idx...)
        assertThat(catalogOfProjectionTables()).isEqualTo(before);
        // analyzed before going live: the table is new, no autovacuum run could have done it in the meantime
        assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'referral_pipeline'",
                Long.class)).isPositive();
    }

    /** Writes each referral received into {@code seen}, in the schema its lane's transaction puts first. */
    public static final class Recorder {
        private final JdbcTemplate jdbc;

        Recorder(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(ReferralReceived e) {
            jdbc.update("INSERT INTO seen (referral_id) VALUES (?)", e.referralId());
        }
    }

    /** Takes every event and fails on the first one after the given position. */
    public static final class Failing {
        private final long after;

        Failing(long after) {
            this.after = after;
        }

        @EventHandler
        void on(Object event, TrackingToken token) {
            if (token.position().orElse(0) > after) {
                throw new IllegalStateException("handler failed on purpose");
            }
        }
    }

    /** Explains, on the first referral it is given, how a batch's lookup of 2,000 ids in {@code probe} would run. */
    public static final class PlanRecorder {
        private final JdbcTemplate jdbc;
        private final List<String> plans = new java.util.concurrent.CopyOnWriteArrayList<>();

        PlanRecorder(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(ReferralReceived e) {
            if (plans.isEmpty()) {
                plans.add(explainLookup(jdbc));
                plans.add(explainJoin(jdbc));
            }
        }
    }

    /** EXPLAIN of an update of 2,000 rows of {@code probe} joined by id, as the pipeline's batch updates rows. */
    private static String explainJoin(JdbcTemplate jdbc) {
        String[] ids = java.util.stream.IntStream.rangeClosed(1, 2000).mapToObj(i -> "r-" + i * 7).toArray(String[]::new);
        StringBuilder plan = new StringBuilder();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "EXPLAIN UPDATE probe p SET filler = 'y' FROM unnest(?::varchar[]) AS v(id) WHERE p.id = v.id");
            statement.setArray(1, connection.createArrayOf("varchar", ids));
            return statement;
        }, rs -> {
            plan.append(rs.getString(1)).append('\n');
        });
        return plan.toString();
    }

    /** EXPLAIN of {@code SELECT id FROM probe WHERE id = ANY (?)} with 2,000 ids, as the pipeline's batch reads rows. */
    private static String explainLookup(JdbcTemplate jdbc) {
        String[] ids = java.util.stream.IntStream.rangeClosed(1, 2000).mapToObj(i -> "r-" + i * 7).toArray(String[]::new);
        StringBuilder plan = new StringBuilder();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("EXPLAIN SELECT id FROM probe WHERE id = ANY (?)");
            statement.setArray(1, connection.createArrayOf("varchar", ids));
            return statement;
        }, rs -> {
            plan.append(rs.getString(1)).append('\n');
        });
        return plan.toString();
    }

    @Test
    void aLaneLooksRowsUpByKeyInACopyThatHasNoStatisticsYet() throws Exception {
        Client api = newTenant();
        importReferrals(api, "plan", 3);
        jdbc.execute("DROP SCHEMA IF EXISTS replay_plan CASCADE");
        jdbc.execute("CREATE SCHEMA replay_plan");
        jdbc.execute("CREATE UNLOGGED TABLE replay_plan.probe (id varchar(64) PRIMARY KEY, filler text)");
        jdbc.update("INSERT INTO replay_plan.probe SELECT 'r-' || g, repeat('x', 200) FROM generate_series(1, 20000) g");
        try {
            // outside a lane: no statistics, and the planner reads all 20,000 rows to find 2,000 ids, or to join them
            java.util.concurrent.atomic.AtomicReference<String> unguided = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<String> unguidedJoin = new java.util.concurrent.atomic.AtomicReference<>();
            side.inSchema("replay_plan", () -> {
                unguided.set(explainLookup(jdbc));
                unguidedJoin.set(explainJoin(jdbc));
            });
            assertThat(unguided.get()).contains("Seq Scan");
            assertThat(unguidedJoin.get()).contains("Hash Join");

            PlanRecorder recorder = new PlanRecorder(jdbc);
            SideTables.Lane lane = new SideTables.Lane(new ProjectionCatalog.Projection("plans",
                    List.of(new AnnotationEventHandlerAdapter(recorder)), List.of(), List.of(), List.of()),
                    "replay_plan", Segment.ROOT_SEGMENT, null, false);
            side.replay(List.of(lane), null, side.head(), new AtomicLong());
            assertThat(recorder.plans).hasSize(2);
            assertThat(recorder.plans.get(0)).contains("probe_pkey").doesNotContain("Seq Scan");
            assertThat(recorder.plans.get(1)).contains("Nested Loop").contains("probe_pkey").doesNotContain("Hash");
        } finally {
            jdbc.execute("DROP SCHEMA IF EXISTS replay_plan CASCADE");
        }
    }

    /**
     * Takes every event; on the first one runs {@code onFirst}; records, for each transaction it commits, the SQL
     * the batched projections would write positions with, and the token position the event {@code watched} came with.
     */
    public static final class PositionRecorder {
        private final Runnable onFirst;
        private final String watched;
        private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        final List<String> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicLong watchedAt = new AtomicLong(-1);

        PositionRecorder(Runnable onFirst, String watched) {
            this.onFirst = onFirst;
            this.watched = watched;
        }

        @EventHandler
        void on(Object event, TrackingToken token, @org.axonframework.messaging.annotation.MessageIdentifier String id) {
            if (started.compareAndSet(false, true)) {
                onFirst.run();
            }
            if (id.equals(watched)) {
                watchedAt.set(token.position().orElse(-1));
            }
            var unitOfWork = org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().root();
            unitOfWork.getOrComputeResource(PositionRecorder.class.getName(), key -> {
                unitOfWork.onPrepareCommit(u -> commits.add(dev.referralledger.projections.TokenPositions.of("a", "s", "t")));
                return true;
            });
        }
    }

    @Test
    void anEventCommittedLateDuringAReplayBringsBackThePositionLookupsOfItsTransaction() throws Exception {
        String late = java.util.UUID.randomUUID().toString();
        String insert = """
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload, meta_data)
                SELECT %s, 'late-' || g || '-' || ?, 0, 'Load',
                    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'dev.referralledger.test.Load',
                    convert_to('{}', 'UTF8'), convert_to('{}', 'UTF8')
                FROM generate_series(1, ?) g RETURNING global_index""";
        try (java.sql.Connection slow = dataSource.getConnection()) {
            // an event holds its position in a transaction of its own while 6,000 newer ones commit
            slow.setAutoCommit(false);
            long held;
            try (var statement = slow.prepareStatement(insert.formatted("?"))) {
                statement.setString(1, late);
                statement.setString(2, late);
                statement.setInt(3, 1);
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    held = rs.getLong(1);
                }
            }
            jdbc.queryForList(insert.formatted("gen_random_uuid()::text"), late + "-newer", 6_000);
            long head = side.head();
            TrackingToken beforeHeld = org.axonframework.eventhandling.GapAwareTrackingToken.newInstance(held - 1,
                    java.util.Collections.emptySortedSet());

            // without it, every event moves the token forward: positions are written as the tokens give them
            PositionRecorder inOrder = new PositionRecorder(() -> { }, late);
            side.replay(List.of(recordingLane(inOrder)), org.axonframework.eventhandling.GapAwareTrackingToken
                    .newInstance(held, java.util.Collections.emptySortedSet()), head, new AtomicLong());
            assertThat(inOrder.commits).containsExactly("t");

            // it commits once the replay has begun: the reader gets it behind newer positions, its token ahead of it
            PositionRecorder filled = new PositionRecorder(() -> {
                try {
                    slow.commit();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, late);
            side.replay(List.of(recordingLane(filled)), beforeHeld, head, new AtomicLong());
            assertThat(filled.watchedAt.get()).isGreaterThan(held);
            assertThat(filled.commits).hasSize(1).allSatisfy(sql -> assertThat(sql).contains("domain_event_entry"));
        }
    }

    private static SideTables.Lane recordingLane(PositionRecorder recorder) {
        return new SideTables.Lane(new ProjectionCatalog.Projection("positions",
                List.of(new AnnotationEventHandlerAdapter(recorder)), List.of(), List.of(), List.of()),
                "public", Segment.ROOT_SEGMENT, null, false);
    }

    /** {@code count} referrals in one import, each referred person {@code <prefix><n>@example.com}, 40 referrers. */
    private static void importReferrals(Client api, String prefix, int count) {
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            items.append(i == 0 ? "" : ",").append("""
                    {"idempotencyKey": "%s-%d", "referrer": {"email": "pat%d@example.com"},
                     "referred": {"firstName": "Sam", "email": "%s%d@example.com"}}""".formatted(prefix, i, i % 40, prefix, i));
        }
        assertThat(api.post("/api/v1/referrals/import", items.append("]").toString()).status()).isEqualTo(200);
    }

    @Test
    void aReplayCommitsAcrossChunksAndAFailureRollsBackEveryLaneAndSurfaces() throws Exception {
        Client api = newTenant();
        importReferrals(api, "chunk", 3500);
        long head = side.head();
        long stored = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE global_index <= ?", Long.class, head);
        long received = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE global_index <= ? AND payload_type = ?",
                Long.class, head, ReferralReceived.class.getName());
        assertThat(received).isGreaterThanOrEqualTo(3500);
        assertThat(stored).isGreaterThan(SideTables.CHUNK * 3L);
        jdbc.execute("DROP SCHEMA IF EXISTS replay_ok CASCADE");
        jdbc.execute("CREATE SCHEMA replay_ok");
        jdbc.execute("CREATE TABLE replay_ok.seen (referral_id VARCHAR(64) PRIMARY KEY)");
        try {
            SideTables.Lane recording = new SideTables.Lane(new ProjectionCatalog.Projection("recording",
                    List.of(new AnnotationEventHandlerAdapter(new Recorder(jdbc))), List.of(), List.of(), List.of()),
                    "replay_ok", Segment.ROOT_SEGMENT, null, false);

            // one transaction open across every chunk, committed at the end
            AtomicLong read = new AtomicLong();
            assertThat(side.replay(List.of(recording), null, head, read).events()).isEqualTo(stored);
            assertThat(read.get()).isEqualTo(stored);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM replay_ok.seen", Long.class)).isEqualTo(received);

            // a lane failing in the third chunk, long before the first batch ends: the replay ends with its failure,
            // and the other lane rolls back what it applied instead of committing it at the end marker
            jdbc.update("TRUNCATE replay_ok.seen");
            SideTables.Lane failing = new SideTables.Lane(new ProjectionCatalog.Projection("failing",
                    List.of(new AnnotationEventHandlerAdapter(new Failing(SideTables.CHUNK * 2L))), List.of(), List.of(), List.of()),
                    "replay_ok", Segment.ROOT_SEGMENT, null, false);
            AtomicLong partly = new AtomicLong();
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> side.replay(List.of(recording, failing), null, head, partly))
                            .hasMessageContaining("replay into side tables failed")
                            .hasRootCauseMessage("handler failed on purpose"));
            assertThat(partly.get()).isGreaterThanOrEqualTo(SideTables.CHUNK).isLessThan(SideTables.BATCH);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM replay_ok.seen", Long.class)).isZero();
        } finally {
            jdbc.execute("DROP SCHEMA IF EXISTS replay_ok CASCADE");
        }
    }

    @Test
    void oneProjectionIsRebuiltWhileWritesGoOnAndNothingWrittenMeanwhileIsLost() throws Exception {
        Client api = newTenant();
        importReferrals(api, "seed", 1500);
        waitUntil(() -> pipelineRows(api) == 1500);
        // a wrong live row: the rebuilt table must not keep it
        String someone = jdbc.queryForObject("SELECT referral_id FROM referral_pipeline WHERE tenant_id = ? LIMIT 1",
                String.class, api.tenantId);
        jdbc.update("UPDATE referral_pipeline SET status = 'LOST' WHERE referral_id = ?", someone);

        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Integer> answers = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread writer = new Thread(() -> {
            for (int i = 0; !done.get() || i < 20; i++) {
                answers.add(api.post("/api/v1/referrals", referralBody("during" + i + "@example.com")).status());
                answers.add(api.get("/api/v1/referrals/" + someone).status());
            }
        });
        writer.start();
        Answer rebuilt = admin().post("/admin/projections/referral-pipeline/rebuild?wait=true", null);
        done.set(true);
        writer.join();

        assertThat(rebuilt.status()).isEqualTo(200);
        assertThat(rebuilt.json().path("processors").toString()).isEqualTo("[\"referral-pipeline\"]");
        assertThat(answers).isNotEmpty().allMatch(status -> status == 200 || status == 201);
        long written = answers.stream().filter(status -> status == 201).count();
        waitUntil(() -> pipelineRows(api) == 1500 + written);
        assertThat(jdbc.queryForObject("SELECT status FROM referral_pipeline WHERE referral_id = ?", String.class, someone))
                .isEqualTo("RECEIVED");
        JsonNode status = admin().get("/admin/projections/referral-pipeline").json();
        assertThat(status.path("status").asText()).isEqualTo("LIVE");
        assertThat(status.path("lastRebuild").path("events").asLong()).isGreaterThanOrEqualTo(1500);
        assertThat(jdbc.queryForList("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'")).isEmpty();
    }

    /**
     * A worker waiting for the next event sees a request to stop only when its wait ends (up to a second); a
     * rebuild's and a verification's stop wakes it ({@link ProcessorWakeUp}). Found by reflection in Axon's event
     * store: this fails when an Axon upgrade renamed what it looks for.
     */
    @Test
    void aStreamWaitingForEventsIsWokenWithoutOne() throws Exception {
        assertThat(wakeUp.available()).isTrue();
        try (var stream = eventStore.openStream(eventStore.createHeadToken())) {
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Boolean> woken = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    waiting.countDown();
                    woken.complete(stream.hasNextAvailable(60, TimeUnit.SECONDS));
                } catch (Throwable e) {
                    woken.completeExceptionally(e);
                }
            }, "woken-stream");
            waiter.setDaemon(true);
            waiter.start();
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!woken.isDone() && System.nanoTime() < deadline) {
                wakeUp.wake(); // again and again: the first may come before the wait begins
                Thread.sleep(20);
            }
            assertThat(woken.isDone()).as("woken long before its 60 s wait ended").isTrue();
            assertThat(woken.get()).as("woken without an event").isFalse();
            waiter.interrupt();
        }
    }

    /** The operator's stop wakes the waiting workers, and starting them again after it works as before. */
    @Test
    void stoppingProjectionsWakesTheirWaitingWorkers() throws Exception {
        long before = wakeUp.wakes();
        List<org.axonframework.eventhandling.EventProcessor> stopped = catalog.stop(List.of("impressions"));
        try {
            assertThat(stopped).hasSize(1).noneMatch(org.axonframework.eventhandling.EventProcessor::isRunning);
            assertThat(wakeUp.wakes()).isGreaterThan(before);
        } finally {
            stopped.forEach(org.axonframework.eventhandling.EventProcessor::start);
        }
        assertThat(stopped).allMatch(org.axonframework.eventhandling.EventProcessor::isRunning);
    }

    /**
     * The switch cancels an autovacuum of a live table after 20 ms instead of the server's deadlock timeout (1 s by
     * default): it shortens that timeout for its transaction, which only a user allowed to set it may; for any other,
     * it keeps the server's, without an error.
     */
    @Test
    void theSwitchShortensItsDeadlockTimeoutWhenItMay() {
        Assumptions.assumeTrue(jdbc.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
                Boolean.class), "a superuser's database: it makes a role that may not");
        String server = jdbc.queryForObject("SHOW deadlock_timeout", String.class);
        assertThat(switchSettingsAs(null)).containsExactly("20ms", "5s");
        jdbc.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switch_plain_user') THEN "
                + "CREATE ROLE switch_plain_user; END IF; END $$");
        try {
            assertThat(switchSettingsAs("switch_plain_user")).containsExactly(server, "5s");
        } finally {
            jdbc.execute("DROP ROLE IF EXISTS switch_plain_user");
        }
        assertThat(jdbc.queryForObject("SHOW deadlock_timeout", String.class)).as("only the transaction's").isEqualTo(server);
    }

    private List<String> switchSettingsAs(String role) {
        return transactions.fetchInTransaction(() -> {
            if (role != null) {
                jdbc.execute("SET LOCAL ROLE " + role);
            }
            rebuild.switchSettings();
            return List.of(jdbc.queryForObject("SHOW deadlock_timeout", String.class),
                    jdbc.queryForObject("SHOW lock_timeout", String.class));
        });
    }

    /** A reader that holds a live table too long, or deadlocks with the switch, makes it copy the rows instead. */
    @Test
    void theSwitchCopiesTheRowsWhenAReaderHoldsATableOrDeadlocksWithIt() {
        assertThat(ProjectionRebuild.heldByReader(new IllegalStateException(
                new java.sql.SQLException("lock timeout", "55P03")))).isTrue();
        assertThat(ProjectionRebuild.heldByReader(new IllegalStateException(
                new java.sql.SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(ProjectionRebuild.heldByReader(new IllegalStateException(
                new java.sql.SQLException("disk full", "53100")))).isFalse();
    }

    @Test
    void theStatusShowsEveryProjectionItsPositionAndLag() throws Exception {
        Client api = newTenant();
        assertThat(api.post("/api/v1/referrals", referralBody("status@example.com")).status()).isEqualTo(201);
        waitUntil(() -> admin().get("/admin/projections").json().path("projections").findValues("lag").stream()
                .allMatch(lag -> lag.asLong() == 0));
        JsonNode overview = admin().get("/admin/projections").json();
        long head = overview.path("head").asLong();
        assertThat(head).isEqualTo(jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        overview.path("projections").forEach(p -> byName.put(p.path("name").asText(), p));
        assertThat(byName).containsKeys("referral-pipeline", "directory", "impressions", "attribution", "rewards",
                "reward-policy");
        assertThat(byName.get("referral-pipeline").path("status").asText()).isEqualTo("LIVE");
        assertThat(byName.get("referral-pipeline").path("position").asLong()).isEqualTo(head);
        assertThat(byName.get("referral-pipeline").path("tables").toString()).contains("referral_pipeline", "advocate_stats");
        assertThat(byName.get("reward-policy").path("kind").asText()).isEqualTo("SAGA");

        assertThat(admin().get("/admin/projections/nope").status()).isEqualTo(404);
        Answer saga = admin().post("/admin/projections/reward-policy/rebuild", null);
        assertThat(saga.status()).isEqualTo(409);
        assertThat(saga.json().path("code").asText()).isEqualTo("PROJECTION_NOT_REBUILDABLE");
    }

    @Test
    void aRebuildInTheBackgroundAnswersAtOnceAndReportsWhenDone() throws Exception {
        Client api = newTenant();
        api.post("/api/v1/referrals", referralBody("bg@example.com"));
        Answer started = admin().post("/admin/projections/impressions/rebuild", null);
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.header("Location")).isEqualTo("/admin/projections/impressions");
        waitUntil(() -> admin().get("/admin/projections/impressions").json().path("lastRebuild").has("events"));
        assertThat(admin().get("/admin/projections/impressions").json().path("status").asText()).isEqualTo("LIVE");
    }

    @Test
    void verificationFindsNothingOnACleanLedgerAndNamesTamperedRows() throws Exception {
        Client api = newTenant();
        String referral = api.post("/api/v1/referrals", referralBody("verify@example.com")).json().path("id").asText();
        api.post("/api/v1/referrals/" + referral + "/contact", null);
        String program = api.post("/api/v1/programs", "{\"name\": \"Verify\", \"slug\": \"verify\"}").json().path("id").asText();
        // projected before the rows are tampered with: a row projected after it would undo the tampering
        waitUntil(() -> "CONTACTED".equals(jdbc.queryForObject("SELECT max(status) FROM referral_pipeline WHERE referral_id = ?",
                String.class, referral))
                && jdbc.queryForObject("SELECT count(*) FROM program WHERE program_id = ?", Long.class, program) == 1);

        Answer clean = admin().post("/admin/verify/projections", null);
        assertThat(clean.status()).isEqualTo(200);
        assertThat(clean.json().path("same").asBoolean()).as(clean.raw().body()).isTrue();
        assertThat(clean.json().path("events").asLong()).isGreaterThan(0);

        assertThat(jdbc.update("UPDATE referral_pipeline SET status = 'CONVERTED' WHERE referral_id = ?", referral)).isEqualTo(1);
        assertThat(jdbc.update("DELETE FROM program WHERE program_id = ?", program)).isEqualTo(1);
        JsonNode report = admin().post("/admin/verify/projections", null).json();
        assertThat(report.path("same").asBoolean()).isFalse();
        assertThat(report.path("differences").asLong()).isEqualTo(3); // the changed row on both sides, the lost one
        JsonNode pipeline = table(report, "referral-pipeline", "referral_pipeline");
        assertThat(pipeline.path("onlyLive").asLong()).isEqualTo(1);
        assertThat(pipeline.path("firstOnlyLive").get(0).path("status").asText()).isEqualTo("CONVERTED");
        assertThat(pipeline.path("firstOnlyRecomputed").get(0).path("status").asText()).isEqualTo("CONTACTED");
        JsonNode programs = table(report, "directory", "program");
        assertThat(programs.path("onlyRecomputed").asLong()).isEqualTo(1);
        assertThat(programs.path("firstOnlyRecomputed").get(0).path("program_id").asText()).isEqualTo(program);

        JsonNode whole = admin().post("/admin/verify", null).json();
        assertThat(whole.path("ok").asBoolean()).isFalse();
        assertThat(whole.path("events").path("ok").asBoolean()).as("the events were not touched").isTrue();
        assertThat(whole.path("projections").path("differences").asLong()).isEqualTo(3);

        assertThat(admin().post("/admin/projections/rebuild", null).status()).isEqualTo(200);
        assertThat(admin().post("/admin/verify/projections", null).json().path("same").asBoolean()).isTrue();
        assertThat(admin().post("/admin/verify", null).json().path("ok").asBoolean()).isTrue();
        assertThat(jdbc.queryForList("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'verify_%'")).isEmpty();
    }

    private static JsonNode table(JsonNode report, String projection, String table) {
        for (JsonNode p : report.path("projections")) {
            if (p.path("projection").asText().equals(projection)) {
                for (JsonNode t : p.path("tables")) {
                    if (t.path("table").asText().equals(table)) {
                        return t;
                    }
                }
            }
        }
        throw new AssertionError("no table " + table + " in " + report);
    }

    private long pipelineRows(Client api) {
        return jdbc.queryForObject("SELECT count(*) FROM referral_pipeline WHERE tenant_id = ?", Long.class, api.tenantId);
    }

    @Test
    void rebuildNeedsTheAdminToken() {
        assertThat(newTenant().post("/admin/projections/rebuild", null).status()).isEqualTo(401);
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 1200 && !done.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }
}
