package dev.referralledger.api.publicform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public referral form over HTTP against real PostgreSQL: no API key, the slug resolves the tenant and
 * agent, a uniform 404, the 32 KB cap, field codes, rate limits, CORS, and strings kept as data.
 *
 * <p>The application trusts {@code X-Forwarded-For} here ({@code server.forward-headers-strategy=framework}),
 * so that each test is a client address of its own, and runs with small limits (5 per address, 8 per slug,
 * a minute each) on a database of its own.</p>
 */
@TestPropertySource(properties = {
        "server.forward-headers-strategy=framework",
        "ledger.public-form.per-address=5/min",
        "ledger.public-form.per-slug=8/min"})
class PublicFormApiTest extends ApiTestSupport {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        useOwnDatabase(registry, "public_form");
    }

    /** A client address no other test uses: a /64 of the IPv6 documentation prefix. */
    private static String newAddress() {
        return "2001:db8:" + Integer.toHexString(CLIENTS.incrementAndGet()) + "::1";
    }

    private record Agent(String id, String slug, Client api) {
    }

    private Agent agent(boolean published) {
        Client api = newTenant();
        String slug = "jane-" + UUID.randomUUID().toString().substring(0, 13);
        Answer created = api.post("/api/v1/agents", "{\"name\":\"Jane Doe\",\"email\":\"jane@example.com\",\"slug\":\""
                + slug + "\",\"published\":" + published + "}");
        assertThat(created.status()).isEqualTo(201);
        return new Agent(created.json().path("id").asText(), slug, api);
    }

    private Answer submit(String slug, String body, String address, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-For";
        all[1] = address;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return anonymous().post("/api/public/referral/" + slug, body, all);
    }

    private static String form(String referredEmail) {
        return """
                {"referrerName": "Pat Jones", "referrerEmail": "pat@example.com",
                 "referredName": "Sam Lee", "referredEmail": "%s", "referredPhone": "+1 415 555 2671",
                 "notes": "Sam is selling their condo this spring."}""".formatted(referredEmail);
    }

    /** The referral as the agent's tenant reads it, once the pipeline shows it. */
    private JsonNode referral(Client api, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        Answer answer = api.get("/api/v1/referrals/" + id);
        while (answer.status() == 404 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            answer = api.get("/api/v1/referrals/" + id);
        }
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void aFormSentToAPublishedSlugIsAReferralToTheAgentInTheAgentsTenant() throws Exception {
        Agent jane = agent(true);
        Answer sent = submit(jane.slug(), form("sam@example.com"), newAddress());
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.contentType()).startsWith("application/json");
        assertThat(sent.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(sent.header("RateLimit-Policy")).isEqualTo("5;w=60, 8;w=60");
        assertThat(sent.header("RateLimit")).isEqualTo("limit=5, remaining=4, reset=12");
        // nothing of the tenant behind the slug
        assertThat(sent.json().size()).isEqualTo(2);
        assertThat(sent.json().path("status").asText()).isEqualTo("RECEIVED");
        String id = sent.json().path("id").asText();

        JsonNode referral = referral(jane.api(), id);
        assertThat(referral.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(referral.path("channel").asText()).isEqualTo("PUBLIC_PROFILE");
        assertThat(referral.path("agentId").asText()).isEqualTo(jane.id());
        assertThat(referral.path("referrer").path("name").asText()).isEqualTo("Pat Jones");
        assertThat(referral.path("referrer").path("email").asText()).isEqualTo("pat@example.com");
        assertThat(referral.path("referred").path("firstName").asText()).isEqualTo("Sam");
        assertThat(referral.path("referred").path("lastName").asText()).isEqualTo("Lee");
        assertThat(referral.path("referred").path("phone").asText()).isEqualTo("+14155552671");
        assertThat(referral.path("notes").asText()).isEqualTo("Sam is selling their condo this spring.");
        // the referrer and the referred became people of the agent's tenant
        JsonNode event = jane.api().get("/api/v1/referrals/" + id + "/events").json().path("events").get(0);
        assertThat(event.path("payload").path("advocateId").asText()).isNotBlank();
        assertThat(event.path("payload").path("referredPersonId").asText()).isNotBlank();
        // its metadata names the tenant like any request's, and no API key
        assertThat(event.path("metadata").path("tenantId").asText()).isEqualTo(jane.api().tenantId);
        assertThat(event.path("metadata").path("requestId").asText()).isEqualTo(sent.header("X-Request-Id"));
        assertThat(event.path("metadata").has("apiKeyId")).isFalse();

        assertThat(newTenant().get("/api/v1/referrals/" + id).status()).isEqualTo(404);
    }

    @Test
    void theWidgetSaysWhereItComesFrom() throws Exception {
        Agent jane = agent(true);
        Answer sent = submit(jane.slug().toUpperCase(), form("sam@example.com").replace("}", ", \"channel\": \"widget\"}"),
                newAddress());
        assertThat(sent.status()).isEqualTo(201);
        JsonNode referral = referral(jane.api(), sent.json().path("id").asText());
        assertThat(referral.path("channel").asText()).isEqualTo("WIDGET");
        assertThat(referral.path("agentId").asText()).isEqualTo(jane.id());
    }

    @Test
    void unknownUnpublishedAndMalformedSlugsAnswerTheSame404() {
        Agent hidden = agent(false);
        String address = newAddress();
        Answer unpublished = submit(hidden.slug(), form("sam@example.com"), address);
        Answer unknown = submit("nobody-" + UUID.randomUUID().toString().substring(0, 8), form("sam@example.com"), address);
        Answer malformed = submit("Not%20a%20slug!", form("sam@example.com"), address);
        for (Answer answer : new Answer[]{unpublished, unknown, malformed}) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("code").asText()).isEqualTo("NOT_FOUND");
        }
        assertThat(unpublished.raw().body()).isEqualTo(unknown.raw().body()).isEqualTo(malformed.raw().body());
        assertThat(unpublished.raw().body()).doesNotContain(hidden.slug());
    }

    @Test
    void publishingOpensTheFormAndUnpublishingClosesItAgain() {
        Agent jane = agent(false);
        String address = newAddress();
        String closed = submit(jane.slug(), form("sam@example.com"), address).raw().body();
        assertThat(jane.api().post("/api/v1/agents/" + jane.id() + "/publish", null).status()).isEqualTo(200);
        assertThat(submit(jane.slug(), form("sam@example.com"), address).status()).isEqualTo(201);
        assertThat(jane.api().post("/api/v1/agents/" + jane.id() + "/unpublish", null).status()).isEqualTo(200);
        Answer again = submit(jane.slug(), form("kim@example.com"), address);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.raw().body()).isEqualTo(closed);
    }

    @Test
    void aBodyOver32KbIs413AndJustUnderIsAccepted() {
        Agent jane = agent(true);
        String base = form("sam@example.com");
        String under = base.substring(0, base.length() - 1) + " ".repeat(32 * 1024 - 16 - base.length()) + "}";
        assertThat(under.getBytes(StandardCharsets.UTF_8)).hasSize(32 * 1024 - 16);
        assertThat(submit(jane.slug(), under, newAddress()).status()).isEqualTo(201);

        String over = base.substring(0, base.length() - 1) + " ".repeat(32 * 1024 + 1 - base.length()) + "}";
        Answer tooLarge = submit(jane.slug(), over, newAddress());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(tooLarge.json().path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aStreamedBodyOver32KbIsCutOffWith413() throws Exception {
        Agent jane = agent(true);
        String base = form("sam@example.com");
        byte[] over = (base.substring(0, base.length() - 1) + " ".repeat(40_000) + "}").getBytes(StandardCharsets.UTF_8);
        // no Content-Length: the body arrives chunked and is counted as it is read
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/public/referral/" + jane.slug()))
                .header("Content-Type", "application/json").header("X-Forwarded-For", newAddress())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void invalidFieldsAre400WithTheFormsFieldNames() {
        Agent jane = agent(true);
        String address = newAddress();
        Answer missing = submit(jane.slug(), "{\"referredName\": \" \", \"notes\": \"hi\"}", address);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(missing.errors()).containsExactly("referrerEmail:REQUIRED", "referredName:REQUIRED", "referredEmail:REQUIRED");

        Answer malformed = submit(jane.slug(), """
                {"referrerEmail": "pat-at-example", "referredName": "Sam", "referredEmail": "sam@",
                 "referredPhone": "555", "notes": "%s", "channel": "MANUAL"}""".formatted("n".repeat(2001)), address);
        assertThat(malformed.errors()).containsExactly("referrerEmail:INVALID_EMAIL", "referredEmail:INVALID_EMAIL",
                "referredPhone:INVALID_PHONE", "notes:TOO_LONG", "channel:UNKNOWN_CHANNEL");

        assertThat(submit(jane.slug(), "{\"referrerEmail\": \"pat@example.com\", \"website\": \"x\"}", address).errors())
                .containsExactly("website:UNKNOWN_FIELD");
        Answer notJson = submit(jane.slug(), "referrerEmail=pat@example.com", address);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(jane.api().get("/api/v1/referrals").json().path("items")).isEmpty();
    }

    @Test
    void referringYourselfIs422() {
        Agent jane = agent(true);
        Answer self = submit(jane.slug(), """
                {"referrerName": "Pat", "referrerEmail": "pat@example.com", "referredName": "Pat Again",
                 "referredEmail": "PAT@example.com"}""", newAddress());
        assertThat(self.status()).isEqualTo(422);
        assertThat(self.contentType()).startsWith("application/problem+json");
        assertThat(self.json().path("code").asText()).isEqualTo("SELF_REFERRAL");
    }

    @Test
    void oneAddressIsLimitedAcrossSlugsAndItsWhole64WithIt() {
        String address = "2001:db8:ffff:1::1";
        for (int i = 0; i < 5; i++) {
            Answer answer = submit("nobody-" + i, "{}", i % 2 == 0 ? address : "2001:db8:ffff:1::" + (i + 7));
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("RateLimit")).startsWith("limit=5, remaining=" + (4 - i) + ", ");
        }
        Answer refused = submit("nobody-5", "{}", address);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("5;w=60, 8;w=60");
        assertThat(refused.header("RateLimit")).matches("limit=5, remaining=0, reset=([1-9]|[1-5][0-9]|60)");
        // another client is not held back
        assertThat(submit("nobody-5", "{}", newAddress()).status()).isEqualTo(404);
    }

    @Test
    void oneSlugIsLimitedAcrossAddresses() {
        Agent jane = agent(true);
        for (int i = 0; i < 8; i++) {
            assertThat(submit(jane.slug(), "{}", newAddress()).status()).isEqualTo(400);
        }
        Answer refused = submit(jane.slug(), form("sam@example.com"), newAddress());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(refused.header("RateLimit")).startsWith("limit=8, remaining=0, ");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(jane.api().get("/api/v1/referrals").json().path("items")).isEmpty();
    }

    @Test
    void browsersMayPostFromAnySiteAndPreflightIsAnswered() {
        Agent jane = agent(true);
        Answer preflight = anonymous().send("OPTIONS", "/api/public/referral/" + jane.slug(), null,
                "Origin", "https://jane-doe-realty.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type");
        assertThat(preflight.status()).isIn(200, 204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        Answer sent = submit(jane.slug(), form("sam@example.com"), newAddress(), "Origin", "https://jane-doe-realty.example");
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(sent.header("Access-Control-Expose-Headers")).contains("RateLimit").contains("Retry-After");

        // a 404 is readable by the page too, and the authenticated API allows no other site
        Answer unknown = submit("nobody-at-all", "{}", newAddress(), "Origin", "https://elsewhere.example");
        assertThat(unknown.header("Access-Control-Allow-Origin")).isEqualTo("*");
        Answer api = anonymous().send("OPTIONS", "/api/v1/referrals", null, "Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "POST");
        assertThat(api.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void scriptIsStoredAsDataAndAnsweredOnlyAsJson() throws Exception {
        Agent jane = agent(true);
        String script = "<script>alert(document.cookie)</script>";
        Answer sent = submit(jane.slug(), """
                {"referrerName": "%1$s", "referrerEmail": "pat@example.com", "referredName": "%1$s Lee",
                 "referredEmail": "sam@example.com", "notes": "%1$s"}""".formatted(script), newAddress());
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.raw().body()).doesNotContain("<");

        JsonNode referral = referral(jane.api(), sent.json().path("id").asText());
        assertThat(referral.path("referrer").path("name").asText()).isEqualTo(script);
        assertThat(referral.path("referred").path("firstName").asText()).isEqualTo(script);
        assertThat(referral.path("notes").asText()).isEqualTo(script);

        // a browser asking for HTML gets no HTML: a JSON refusal, marked not to be sniffed
        Answer html = submit(jane.slug(), form("kim@example.com"), newAddress(), "Accept", "text/html");
        assertThat(html.status()).isEqualTo(406);
        assertThat(html.contentType()).startsWith("application/problem+json");
        assertThat(html.header("X-Content-Type-Options")).isEqualTo("nosniff");
        Answer invalid = submit(jane.slug(), "{\"" + script + "\": 1}", newAddress());
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(invalid.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void anIdempotencyKeyMakesARetrySafe() {
        Agent jane = agent(true);
        String key = "form-" + UUID.randomUUID();
        Answer first = submit(jane.slug(), form("sam@example.com"), newAddress(), "Idempotency-Key", key);
        Answer retry = submit(jane.slug(), form("sam@example.com"), newAddress(), "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(submit(jane.slug(), form("kim@example.com"), newAddress(), "Idempotency-Key", key).status()).isEqualTo(422);
    }

    @Test
    void noApiKeyIsNeededAndAnotherTenantsKeyChangesNothing() throws Exception {
        Agent jane = agent(true);
        Client other = newTenant();
        Answer sent = submit(jane.slug(), form("sam@example.com"), newAddress(), "Authorization", "Bearer not-a-key");
        assertThat(sent.status()).isEqualTo(201);
        assertThat(referral(jane.api(), sent.json().path("id").asText()).path("agentId").asText()).isEqualTo(jane.id());
        assertThat(other.get("/api/v1/referrals").json().path("items")).isEmpty();
    }
}
