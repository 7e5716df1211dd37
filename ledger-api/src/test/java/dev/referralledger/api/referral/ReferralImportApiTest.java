package dev.referralledger.api.referral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.program.CreateProgram;
import dev.referralledger.core.program.EnrollAdvocate;
import dev.referralledger.core.program.Enrolled;
import dev.referralledger.core.referral.Advocate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/referrals/import over HTTP, against real PostgreSQL. */
class ReferralImportApiTest extends ApiTestSupport {

    private static final String PATH = "/api/v1/referrals/import";
    private static final String NDJSON = "application/x-ndjson";

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private CommandGateway commands;

    private static String item(String key, String referredEmail) {
        return "{\"idempotencyKey\":\"" + key + "\",\"referrer\":{\"name\":\"Pat\",\"email\":\"pat@example.com\"},"
                + "\"referred\":{\"firstName\":\"Sam\",\"email\":\"" + referredEmail + "\"},\"agentId\":\"agent-7\","
                + "\"expectedValue\":1200,\"currency\":\"USD\",\"metadata\":{\"source\":\"crm\",\"row\":\"" + key + "\"}}";
    }

    private long events(Client api) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE position(convert_to(?, 'UTF8') in meta_data) > 0",
                Long.class, "\"" + api.tenantId + "\"");
    }

    private static List<String> statuses(Answer answer) {
        List<String> out = new ArrayList<>();
        answer.json().path("results").forEach(r -> out.add(r.path("index").asInt() + ":" + r.path("status").asText()));
        return out;
    }

    private static List<String> errors(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("errors").forEach(e -> out.add(e.path("field").asText("") + ":" + e.path("code").asText()));
        return out;
    }

    private static List<String> referralIds(Answer answer) {
        List<String> out = new ArrayList<>();
        answer.json().path("results").forEach(r -> out.add(r.path("referralId").asText(null)));
        return out;
    }

    @Test
    void eachItemGetsItsOwnResultAndAFailureDoesNotStopTheOthers() {
        Client api = newTenant();
        String body = "[" + String.join(",",
                item("row-1", "sam1@example.com"),
                "{\"idempotencyKey\":\"row-2\",\"referrer\":{\"email\":\"pat-at-example\"},\"referred\":{\"firstName\":\" \"}}",
                "{\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Sam\"}}",
                "{\"idempotencyKey\":\"row-4\",\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Sam\"},\"typo\":1}",
                "{\"idempotencyKey\":\"row-5\",\"channel\":\"API\",\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Sam\"}}",
                "42",
                item("row-1", "someone-else@example.com"),
                item("row-8", "sam8@example.com"),
                "{\"idempotencyKey\":\"row-9\",\"expectedValue\":\"lots\",\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Sam\"}}",
                "{\"idempotencyKey\":\"row-10\",\"channel\":\"import\",\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Kim\"}}")
                + "]";
        Answer answer = api.post(PATH, body);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(statuses(answer)).containsExactly("0:CREATED", "1:FAILED", "2:FAILED", "3:FAILED", "4:FAILED",
                "5:FAILED", "6:FAILED", "7:CREATED", "8:FAILED", "9:CREATED");
        JsonNode results = answer.json().path("results");
        assertThat(errors(results.get(1))).containsExactly("referrer.email:INVALID_EMAIL", "referred.firstName:REQUIRED");
        assertThat(errors(results.get(2))).containsExactly("idempotencyKey:REQUIRED");
        assertThat(errors(results.get(3))).containsExactly("typo:UNKNOWN_FIELD");
        assertThat(errors(results.get(4))).containsExactly("channel:IMPORT_CHANNEL_ONLY");
        assertThat(errors(results.get(5))).containsExactly(":INVALID_FORMAT");
        assertThat(errors(results.get(6))).containsExactly("idempotencyKey:DUPLICATE_KEY_IN_IMPORT");
        assertThat(errors(results.get(8))).containsExactly("expectedValue:INVALID_FORMAT");
        assertThat(results.get(0).path("idempotencyKey").asText()).isEqualTo("row-1");
        assertThat(results.get(0).path("errors")).isEmpty();
        assertThat(answer.json().path("total").asInt()).isEqualTo(10);
        assertThat(answer.json().path("created").asInt()).isEqualTo(3);
        assertThat(answer.json().path("failed").asInt()).isEqualTo(7);

        String id = results.get(0).path("referralId").asText();
        JsonNode created = eventually(() -> {
            Answer read = api.get("/api/v1/referrals/" + id);
            return read.status() == 200 ? read.json() : null;
        });
        assertThat(created.path("channel").asText()).isEqualTo("IMPORT");
        assertThat(created.path("referred").path("email").asText()).isEqualTo("sam1@example.com");
        assertThat(events(api)).isEqualTo(3);
    }

    @Test
    void runningTheSameImportAgainCreatesNothing() {
        Client api = newTenant();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(item("again-" + i, "p" + i + "@example.com"));
        }
        items.add("{\"idempotencyKey\":\"bad\",\"referrer\":{\"email\":\"pat@example.com\"}}");
        String array = "[" + String.join(",", items) + "]";
        Answer first = api.post(PATH, array, "Idempotency-Key", "whole-import-1");
        assertThat(first.json().path("created").asInt()).isEqualTo(20);
        long stored = events(api);
        assertThat(stored).isEqualTo(20);

        Answer again = api.post(PATH, array, "Idempotency-Key", "whole-import-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(again.json().path("duplicates").asInt()).isEqualTo(20);
        assertThat(again.json().path("created").asInt()).isZero();
        assertThat(statuses(again).subList(0, 20)).allMatch(s -> s.endsWith(":DUPLICATE"));
        assertThat(statuses(again).get(20)).isEqualTo("20:FAILED");
        assertThat(referralIds(again)).isEqualTo(referralIds(first));

        // the same items as NDJSON, spaced and ordered differently, are the same items
        List<String> reversed = new ArrayList<>(items.subList(0, 20));
        java.util.Collections.reverse(reversed);
        String ndjson = "\n" + String.join("\r\n\n", reversed) + "\n";
        Answer asLines = api.post(PATH, ndjson, "Content-Type", NDJSON);
        assertThat(asLines.json().path("duplicates").asInt()).isEqualTo(20);
        assertThat(asLines.json().path("results").get(0).path("referralId").asText())
                .isEqualTo(first.json().path("results").get(19).path("referralId").asText());
        assertThat(events(api)).isEqualTo(stored);
    }

    @Test
    void aKeyReusedForAnotherReferralIsRefusedForThatItemOnly() {
        Client api = newTenant();
        api.post(PATH, "[" + item("k-1", "sam@example.com") + "]");
        Answer other = api.post(PATH, "[" + item("k-1", "kim@example.com") + "," + item("k-2", "lee@example.com") + "]");
        assertThat(statuses(other)).containsExactly("0:FAILED", "1:CREATED");
        assertThat(errors(other.json().path("results").get(0))).containsExactly("idempotencyKey:IDEMPOTENCY_KEY_REUSED");
        // an item key is not a request key: the same text as a header does not collide
        Answer single = api.post("/api/v1/referrals", referralBody("zed@example.com"), "Idempotency-Key", "k-1");
        assertThat(single.status()).isEqualTo(201);
    }

    @Test
    void ndjsonLinesStandOnTheirOwn() {
        Client api = newTenant();
        String body = item("n-1", "a@example.com") + "\n"
                + "{\"idempotencyKey\":\"n-2\", broken\n"
                + "   \n"
                + "[1, 2]\n"
                + item("n-4", "b@example.com") + " " + item("n-5", "c@example.com") + "\n"
                + item("n-6", "d@example.com");
        Answer answer = api.post(PATH, body, "Content-Type", NDJSON + "; charset=utf-8");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(statuses(answer)).containsExactly("0:CREATED", "1:FAILED", "2:FAILED", "3:FAILED", "4:CREATED");
        JsonNode results = answer.json().path("results");
        assertThat(errors(results.get(1))).containsExactly(":MALFORMED_JSON");
        assertThat(errors(results.get(2))).containsExactly(":INVALID_FORMAT");
        assertThat(errors(results.get(3))).containsExactly(":MALFORMED_JSON");
        assertThat(results.get(4).path("idempotencyKey").asText()).isEqualTo("n-6");
    }

    @Test
    void programRulesApplyToEachItem() {
        Client api = newTenant();
        String programId = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateProgram(programId, api.tenantId, "Import", "import-" + programId.substring(0, 8),
                null, null, null, null, null, null));
        Enrolled pat = commands.sendAndWait(new EnrollAdvocate(UUID.randomUUID().toString(), api.tenantId, programId,
                new Advocate("Pat", "pat@example.com", null, null), null));
        String byCode = "{\"idempotencyKey\":\"%s\",\"referralCode\":\"" + pat.referralCode()
                + "\",\"referred\":{\"firstName\":\"Sam\",\"email\":\"sam@example.com\"}}";
        Answer answer = api.post(PATH, "[" + byCode.formatted("c-1") + "," + byCode.formatted("c-2") + "]");
        assertThat(statuses(answer)).containsExactly("0:CREATED", "1:FAILED");
        JsonNode refused = answer.json().path("results").get(1).path("errors").get(0);
        assertThat(refused.path("code").asText()).isEqualTo("ALREADY_REFERRED");
        assertThat(refused.path("details").path("existingReferralId").asText())
                .isEqualTo(answer.json().path("results").get(0).path("referralId").asText());
    }

    @Test
    void aBodyThatCannotBeReadIsRefusedAsAWhole() {
        Client api = newTenant();
        Answer malformed = api.post(PATH, "[" + item("m-1", "a@example.com") + ", {\"idempotencyKey\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.json().path("code").asText()).isEqualTo("MALFORMED_JSON");
        Answer object = api.post(PATH, item("m-2", "a@example.com"));
        assertThat(object.status()).isEqualTo(400);
        assertThat(object.json().path("code").asText()).isEqualTo("MALFORMED_JSON");
        Answer empty = api.post(PATH, "");
        assertThat(empty.status()).isEqualTo(400);
        Answer text = api.post(PATH, "a,b,c", "Content-Type", "text/csv");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(events(api)).isZero();
        assertThat(api.post(PATH, "[]").json().path("total").asInt()).isZero();
    }

    @Test
    void moreThanTenThousandItemsAreRefused() {
        Client api = newTenant();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"idempotencyKey\":\"").append(i).append("\"}");
        }
        Answer answer = api.post(PATH, body.append(']').toString());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(answer.errors()).containsExactly("items:TOO_MANY");
        assertThat(events(api)).isZero();
    }

    @Test
    void aLargeImportFinishes() {
        Client api = newTenant();
        int n = 2_000;
        StringBuilder body = new StringBuilder();
        String notes = "Imported from the previous system; ".repeat(12);
        for (int i = 0; i < n; i++) {
            body.append("{\"idempotencyKey\":\"big-").append(i).append("\",\"referrer\":{\"email\":\"advocate")
                    .append(i % 50).append("@example.com\"},\"referred\":{\"firstName\":\"Person ").append(i)
                    .append("\",\"email\":\"person").append(i).append("@example.com\"},\"notes\":\"").append(notes)
                    .append("\"}\n");
        }
        assertThat(body.length()).as("more than the API's 1 MB limit").isGreaterThan(1024 * 1024);
        long started = System.nanoTime();
        Answer answer = api.post(PATH, body.toString(), "Content-Type", NDJSON);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("Import of %d referrals (%d bytes) took %d ms (%.0f referrals/s)%n", n, body.length(), millis,
                n * 1000.0 / Math.max(1, millis));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("created").asInt()).isEqualTo(n);
        assertThat(events(api)).isEqualTo(n);
    }

    private static <T> T eventually(java.util.function.Supplier<T> read) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            T value = read.get();
            if (value != null || System.currentTimeMillis() > deadline) {
                return value;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
