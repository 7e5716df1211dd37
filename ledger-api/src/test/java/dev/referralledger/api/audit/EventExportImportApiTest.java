package dev.referralledger.api.audit;

import org.springframework.http.MediaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.api.LedgerApplication;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A realistic ledger built through the API is exported page by page and imported into a second, empty ledger
 * (another application on another database): every projection table ends up equal row for row, the events are
 * identical, and the reward saga does not act on the imported history again.
 */
@DirtiesContext // a database of its own: close the application after the class, not at the end of the run
@TestPropertySource(properties = {"ledger.rewards.hold-day-length=PT2S", "ledger.rewards.deadline-poll-interval=PT0.2S"})
class EventExportImportApiTest extends ApiTestSupport {

    private static String target;

    @DynamicPropertySource
    static void ownDatabases(DynamicPropertyRegistry registry) {
        String source = TestDatabase.fresh("export_source");
        target = TestDatabase.fresh("export_target");
        registry.add("ledger.test.database-url", () -> source);
    }

    @Autowired
    JdbcTemplate jdbc;

    private static final String EVENT_COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "type, time_stamp, payload_type, payload_revision, payload, meta_data, previous_hash, event_hash";

    @Test
    void anImportedExportReproducesEveryProjection() throws Exception {
        buildLedger();
        String export = exportAll(7);
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        assertThat(export.lines().count()).isEqualTo(events);

        try (ConfigurableApplicationContext second = startLedger(target)) {
            Client other = clientOf(second);
            JdbcTemplate targetJdbc = second.getBean(JdbcTemplate.class);

            // a changed export is refused whole, naming its line
            List<String> lines = new ArrayList<>(export.lines().toList());
            int changed = lines.size() / 2;
            lines.set(changed, lines.get(changed).replaceFirst("\"tenantId\":\"", "\"tenantId\":\"x"));
            Answer tampered = other.post("/admin/events", String.join("\n", lines), "Content-Type", MediaType.APPLICATION_NDJSON_VALUE);
            assertThat(tampered.status()).as(tampered.raw().body()).isEqualTo(422);
            assertThat(tampered.json().path("code").asText()).isEqualTo("EVENT_HASH_MISMATCH");
            assertThat(tampered.json().path("line").asInt()).isEqualTo(changed + 1);
            assertThat(targetJdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isZero();

            // the person keys first: without them the personal data in the events cannot be read
            Answer keys = other.post("/admin/person-keys", admin().get("/admin/person-keys").raw().body(),
                    "Content-Type", MediaType.APPLICATION_NDJSON_VALUE);
            assertThat(keys.status()).as(keys.raw().body()).isEqualTo(200);
            Answer imported = other.post("/admin/events", export, "Content-Type", MediaType.APPLICATION_NDJSON_VALUE);
            assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
            assertThat(imported.json().path("events").asLong()).isEqualTo(events);
            assertThat(imported.json().path("sagaProcessorsMovedToHead").toString()).contains("reward-policy");
            // the HELD rewards' ends of hold are scheduled again (deadlines are not events)
            long held = jdbc.queryForObject("SELECT count(*) FROM reward_queue WHERE status = 'HELD'", Long.class);
            assertThat(imported.json().path("holdDeadlinesScheduled").asLong()).isEqualTo(held);
            assertThat(targetJdbc.queryForList("SELECT execution_time FROM scheduled_tasks WHERE task_data IS NOT NULL "
                    + "ORDER BY execution_time", java.sql.Timestamp.class))
                    .hasSize((int) held)
                    .isEqualTo(jdbc.queryForList("SELECT held_until FROM reward_queue WHERE status = 'HELD' ORDER BY held_until",
                            java.sql.Timestamp.class));

            Answer again = other.post("/admin/events", export, "Content-Type", MediaType.APPLICATION_NDJSON_VALUE);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().path("code").asText()).isEqualTo("EVENT_STORE_NOT_EMPTY");

            Map<String, List<Map<String, Object>>> expected = ProjectionTables.rows(jdbc);
            assertThat(expected.keySet()).contains("referral_pipeline", "program", "person", "impression", "reward_queue",
                    "reward_policy", "attribution_entry");
            assertThat(expected.get("reward_queue")).hasSizeGreaterThanOrEqualTo(4);
            Map<String, List<Map<String, Object>>> actual = Map.of();
            for (int i = 0; i < 240 && !actual.equals(expected); i++) {
                Thread.sleep(250);
                actual = ProjectionTables.rows(targetJdbc);
            }
            Map<String, List<Map<String, Object>>> last = actual;
            List<String> different = expected.keySet().stream().filter(t -> !expected.get(t).equals(last.get(t))).toList();
            assertThat(different).as(() -> different.stream().map(t -> t + ":\n  expected " + expected.get(t)
                    + "\n  imported " + last.get(t)).reduce("", String::concat)).isEmpty();
            // the events are the source's, byte for byte, and the saga issued nothing again
            Thread.sleep(1_000);
            assertThat(eventsOf(targetJdbc)).isEqualTo(eventsOf(jdbc));
            assertThat(targetJdbc.queryForObject("SELECT count(*) FROM saga_entry", Long.class)).isZero();
            // and they verify, chained exactly as in the source
            assertThat(second.getBean(EventChainVerifier.class).verify().ok()).isTrue();
            // a re-scheduled end of hold fires on the imported reward: brought forward, it makes the reward READY
            String heldReward = targetJdbc.queryForObject("SELECT reward_id FROM reward_queue WHERE status = 'HELD' LIMIT 1", String.class);
            assertThat(targetJdbc.update("UPDATE scheduled_tasks SET execution_time = now() WHERE task_data IS NOT NULL "
                    + "AND position(convert_to(?, 'UTF8') in task_data) > 0", heldReward)).isEqualTo(1);
            String status = null;
            for (int i = 0; i < 120 && !"READY".equals(status); i++) {
                Thread.sleep(250);
                status = targetJdbc.queryForObject("SELECT status FROM reward_queue WHERE reward_id = ?", String.class, heldReward);
            }
            assertThat(status).isEqualTo("READY");
            // new events continue after the imported positions
            other.post("/admin/tenants", "{\"id\":\"after-import\",\"name\":\"After\"}");
            String key = other.post("/admin/tenants/after-import/api-keys", "{\"name\":\"k\"}").json().path("secret").asText();
            Answer program = new Client(key, "after-import", portOf(second)).post("/api/v1/programs", "{\"name\": \"New\", \"slug\": \"new\"}");
            assertThat(program.status()).as(program.raw().body()).isEqualTo(201);
            assertThat(targetJdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class))
                    .isGreaterThan(jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
        }
    }

    private static List<String> eventsOf(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT t::text FROM (SELECT " + EVENT_COLUMNS
                + " FROM domain_event_entry ORDER BY global_index) t", String.class);
    }

    @Test
    void theExportIsPagedAndFiltered() {
        Client api = newTenant();
        for (int i = 0; i < 3; i++) {
            api.post("/api/v1/programs", "{\"name\": \"P" + i + "\", \"slug\": \"p" + i + "\"}");
        }
        Answer page = admin().get("/admin/events?tenant=" + api.tenantId + "&limit=2");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith(MediaType.APPLICATION_NDJSON_VALUE);
        List<String> lines = page.raw().body().lines().toList();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"tenantId\":\"" + api.tenantId + "\""));
        String next = page.header(AuditController.NEXT_FROM_POSITION);
        assertThat(next).isNotNull();
        assertThat(page.header("Link")).contains("fromPosition=" + next, "tenant=" + api.tenantId, "rel=\"next\"");
        Answer last = admin().get("/admin/events?tenant=" + api.tenantId + "&limit=2&fromPosition=" + next);
        assertThat(last.raw().body().lines().toList()).hasSize(1);
        assertThat(last.header(AuditController.NEXT_FROM_POSITION)).isNull();

        JsonNode line = parse(lines.get(0));
        assertThat(line.path("payload").path("tenantId").asText()).isEqualTo(api.tenantId);
        assertThat(line.path("hash").asText()).hasSize(64);
        assertThat(line.path("type").asText()).endsWith("ProgramCreated");
        assertThat(admin().get("/admin/events?tenant=" + api.tenantId + "&type=ProgramCreated").raw().body().lines().count())
                .isEqualTo(3);
        assertThat(admin().get("/admin/events?limit=0").json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(admin().get("/admin/events?limit=100001").status()).isEqualTo(400);
        assertThat(api.get("/admin/events").status()).isEqualTo(401);
    }

    @Test
    void anImportIntoALedgerWithEventsIsRefused() {
        newTenant().post("/api/v1/programs", "{\"name\": \"P\", \"slug\": \"p\"}");
        Answer refused = admin().post("/admin/events", admin().get("/admin/events?limit=1").raw().body(),
                "Content-Type", MediaType.APPLICATION_NDJSON_VALUE);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("EVENT_STORE_NOT_EMPTY");
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event, page by page, following Next-From-Position. */
    private String exportAll(int limit) {
        StringBuilder all = new StringBuilder();
        String from = "";
        int pages = 0;
        while (from != null) {
            Answer page = admin().get("/admin/events?limit=" + limit + (from.isEmpty() ? "" : "&fromPosition=" + from));
            assertThat(page.status()).isEqualTo(200);
            all.append(page.raw().body());
            from = page.header(AuditController.NEXT_FROM_POSITION);
            pages++;
        }
        assertThat(pages).isGreaterThan(2);
        return all.toString();
    }

    /** Programs with a reward policy, advocates, impressions, referrals through the pipeline, conversions, rewards. */
    private void buildLedger() throws InterruptedException {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", """
                {"name": "Friends", "slug": "friends", "velocityLimitPerHour": 1000}""").json().path("id").asText();
        Answer policy = api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", """
                {"referrer": {"type": "CASH", "fixedAmount": 50, "currency": "USD", "holdDays": 1},
                 "referred": {"type": "COUPON", "percentage": 10, "currency": "USD", "holdDays": 30}}""");
        assertThat(policy.status()).as(policy.raw().body()).isEqualTo(200);
        String other = api.post("/api/v1/programs", "{\"name\": \"Campus\", \"slug\": \"campus\"}").json().path("id").asText();
        JsonNode advocate = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}").json();
        String code = advocate.path("referralCode").asText();
        api.post("/api/v1/programs/" + other + "/advocates", "{\"name\": \"Kim\", \"email\": \"kim@example.com\"}");
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String impression = api.post("/api/v1/impressions", "{\"referralCode\": \"" + code + "\", \"source\": \"QR\"}")
                    .json().path("id").asText();
            Answer referral = api.post("/api/v1/referrals", """
                    {"impressionId": "%s", "referred": {"firstName": "Sam", "email": "sam%d@example.com"}}""".formatted(impression, i));
            assertThat(referral.status()).as(referral.raw().body()).isEqualTo(201);
            referrals.add(referral.json().path("id").asText());
        }
        api.post("/api/v1/referrals", referralBody("lee@example.com"));
        api.post("/api/v1/referrals/" + referrals.get(0) + "/contact", null);
        api.post("/api/v1/referrals/" + referrals.get(0) + "/qualify", null);
        for (String referral : referrals.subList(0, 3)) {
            Answer converted = api.post("/api/v1/referrals/" + referral + "/convert",
                    "{\"resultingDealId\": \"deal-" + referral + "\", \"dealValue\": 1000, \"currency\": \"USD\"}");
            assertThat(converted.status()).as(converted.raw().body()).isEqualTo(200);
        }
        api.post("/api/v1/referrals/" + referrals.get(2) + "/reverse", "{\"kind\": \"REFUND\"}");
        api.post("/api/v1/referrals/" + referrals.get(3) + "/lose", "{\"reason\": \"no answer\"}");
        api.post("/api/v1/programs/" + other + "/pause", null);
        // the saga's rewards, and the referrer rewards' hold ended (one hold day is two seconds here)
        for (int i = 0; i < 200; i++) {
            Long ready = jdbc.queryForObject("SELECT count(*) FROM reward_queue WHERE tenant_id = ? AND status = 'READY'",
                    Long.class, api.tenantId);
            Long all = jdbc.queryForObject("SELECT count(*) FROM reward_queue WHERE tenant_id = ?", Long.class, api.tenantId);
            if (ready >= 2 && all >= 6) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reward_queue WHERE status = 'READY'", Long.class)).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reward_queue WHERE status = 'HELD'", Long.class)).isPositive();
        Thread.sleep(1_000); // the remaining projections settle
    }

    private static ConfigurableApplicationContext startLedger(String databaseUrl) {
        return new SpringApplicationBuilder(LedgerApplication.class).run("--server.port=0", "--ledger.db.url=" + databaseUrl,
                "--ledger.db.user=" + TestDatabase.user(), "--ledger.db.password=" + TestDatabase.password(),
                "--ledger.admin-token=" + ADMIN_TOKEN, "--ledger.demo-tenant=false");
    }

    private Client clientOf(ConfigurableApplicationContext context) {
        return new Client(ADMIN_TOKEN, null, portOf(context));
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
