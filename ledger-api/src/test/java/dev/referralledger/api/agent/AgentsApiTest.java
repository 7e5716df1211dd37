package dev.referralledger.api.agent;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Agents over HTTP against real PostgreSQL: register, read, list, publish, unpublish, and the slug rules. */
class AgentsApiTest extends ApiTestSupport {

    private static String slug() {
        return "agent-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static String body(String name, String email, String slug, Boolean published) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"slug\":\"" + slug + "\""
                + (published == null ? "" : ",\"published\":" + published) + "}";
    }

    @Test
    void registeringAnswersTheAgentAndItCanBeReadBack() {
        Client api = newTenant();
        String slug = slug();
        Answer created = api.post("/api/v1/agents", body(" Jane Doe ", "Jane@Example.com", slug.toUpperCase(), null));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/agents/" + id);
        assertThat(created.json().path("name").asText()).isEqualTo("Jane Doe");
        assertThat(created.json().path("email").asText()).isEqualTo("jane@example.com");
        assertThat(created.json().path("slug").asText()).isEqualTo(slug);
        assertThat(created.json().path("published").asBoolean()).isFalse();
        assertThat(created.json().path("publicFormPath").asText()).isEqualTo("/api/public/referral/" + slug);
        assertThat(created.json().path("publishedAt").isNull()).isTrue();
        assertThat(created.json().path("version").asLong()).isZero();

        Answer read = api.get("/api/v1/agents/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(api.get("/api/v1/agents").json().path("items").get(0).path("id").asText()).isEqualTo(id);
    }

    @Test
    void publishingAndUnpublishingAnswerTheAgentAndRepeatingChangesNothing() {
        Client api = newTenant();
        String id = api.post("/api/v1/agents", body("Jane", "jane@example.com", slug(), false)).json().path("id").asText();

        Answer published = api.post("/api/v1/agents/" + id + "/publish", null);
        assertThat(published.status()).isEqualTo(200);
        assertThat(published.json().path("published").asBoolean()).isTrue();
        assertThat(published.json().path("publishedAt").isTextual()).isTrue();
        assertThat(published.json().path("version").asLong()).isEqualTo(1);
        Answer again = api.post("/api/v1/agents/" + id + "/publish", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("version").asLong()).isEqualTo(1);

        Answer unpublished = api.post("/api/v1/agents/" + id + "/unpublish", null);
        assertThat(unpublished.status()).isEqualTo(200);
        assertThat(unpublished.json().path("published").asBoolean()).isFalse();
        assertThat(unpublished.json().path("version").asLong()).isEqualTo(2);
        assertThat(api.post("/api/v1/agents/" + id + "/unpublish", null).json().path("version").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/agents/" + id).json().path("published").asBoolean()).isFalse();
    }

    @Test
    void aSlugTakenInTheSameTenantIs409AndNamesTheAgent() {
        Client api = newTenant();
        String slug = slug();
        String first = api.post("/api/v1/agents", body("Jane", "jane@example.com", slug, true)).json().path("id").asText();
        Answer taken = api.post("/api/v1/agents", body("John", "john@example.com", slug.toUpperCase(), false));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.contentType()).startsWith("application/problem+json");
        assertThat(taken.json().path("code").asText()).isEqualTo("SLUG_TAKEN");
        assertThat(taken.json().path("field").asText()).isEqualTo("slug");
        assertThat(taken.json().path("agentId").asText()).isEqualTo(first);
        assertThat(api.get("/api/v1/agents").json().path("items")).hasSize(1);
    }

    @Test
    void aSlugIsUniqueAcrossTenantsAndAnotherTenantsAgentIsNotNamed() {
        Client a = newTenant();
        Client b = newTenant();
        String slug = slug();
        assertThat(a.post("/api/v1/agents", body("Jane", "jane@example.com", slug, false)).status()).isEqualTo(201);
        Answer taken = b.post("/api/v1/agents", body("Jane", "jane@example.com", slug, false));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("code").asText()).isEqualTo("SLUG_TAKEN");
        assertThat(taken.json().has("agentId")).isFalse();
        assertThat(taken.raw().body()).doesNotContain(a.tenantId);
        assertThat(b.get("/api/v1/agents").json().path("items")).isEmpty();
    }

    @Test
    void concurrentClaimsOfOneSlugFromTwoTenantsLeaveExactlyOneAgent() throws Exception {
        Client a = newTenant();
        Client b = newTenant();
        String slug = slug();
        List<Callable<Answer>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Client api = i % 2 == 0 ? a : b;
            claims.add(() -> api.post("/api/v1/agents", body("Jane", "jane@example.com", slug, true)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(claims.size());
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Answer> answer : pool.invokeAll(claims)) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdown();
        }
        int agents = a.get("/api/v1/agents").json().path("items").size() + b.get("/api/v1/agents").json().path("items").size();
        assertThat(agents).isEqualTo(1);
    }

    @Test
    void invalidFieldsAreReportedTogether() {
        Answer answer = newTenant().post("/api/v1/agents", "{\"name\":\" \",\"email\":\"jane-at-example\",\"slug\":\"Not a slug!\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(answer.errors()).containsExactly("name:REQUIRED", "email:INVALID_EMAIL", "slug:INVALID_SLUG");
        assertThat(newTenant().post("/api/v1/agents", "{\"name\":\"J\",\"email\":\"j@x.io\",\"slug\":\"j\",\"nick\":1}")
                .errors()).containsExactly("nick:UNKNOWN_FIELD");
        assertThat(newTenant().post("/api/v1/agents", "{\"name\":\"J\",\"email\":\"j@x.io\",\"slug\":\"j\",\"published\":\"soon\"}")
                .errors()).containsExactly("published:INVALID_FORMAT");
    }

    @Test
    void anotherTenantsAgentIsNotFound() {
        Client a = newTenant();
        Client b = newTenant();
        String id = a.post("/api/v1/agents", body("Jane", "jane@example.com", slug(), false)).json().path("id").asText();
        assertThat(b.get("/api/v1/agents/" + id).status()).isEqualTo(404);
        Answer publish = b.post("/api/v1/agents/" + id + "/publish", null);
        assertThat(publish.status()).isEqualTo(404);
        assertThat(publish.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(b.post("/api/v1/agents/" + id + "/unpublish", null).status()).isEqualTo(404);
        assertThat(a.get("/api/v1/agents/" + id).json().path("published").asBoolean()).isFalse();
    }

    @Test
    void unknownIdsAndIdsOfOtherThingsAreNotFound() {
        Client api = newTenant();
        assertThat(api.get("/api/v1/agents/nope").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/agents/nope/publish", null).status()).isEqualTo(404);
        Answer referral = api.post("/api/v1/referrals", referralBody("sam@example.com"));
        String referralId = referral.json().path("id").asText();
        Answer publish = api.post("/api/v1/agents/" + referralId + "/publish", null);
        assertThat(publish.status()).isEqualTo(404);
        assertThat(publish.json().path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void listsAreFilteredAndPaged() {
        Client api = newTenant();
        String a = api.post("/api/v1/agents", body("A", "a@example.com", slug(), true)).json().path("id").asText();
        String b = api.post("/api/v1/agents", body("B", "b@example.com", slug(), false)).json().path("id").asText();
        String c = api.post("/api/v1/agents", body("C", "c@example.com", slug(), true)).json().path("id").asText();

        Answer first = api.get("/api/v1/agents?limit=2");
        assertThat(first.json().path("items").findValuesAsText("id")).containsExactly(c, b);
        Answer second = api.get("/api/v1/agents?limit=2&cursor=" + first.json().path("nextCursor").asText());
        assertThat(second.json().path("items").findValuesAsText("id")).containsExactly(a);
        assertThat(second.json().path("nextCursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/agents?published=true").json().path("items").findValuesAsText("id")).containsExactly(c, a);
        assertThat(api.get("/api/v1/agents?published=false").json().path("items").findValuesAsText("id")).containsExactly(b);

        assertThat(api.get("/api/v1/agents?limit=0").errors()).containsExactly("limit:OUT_OF_RANGE");
        assertThat(api.get("/api/v1/agents?cursor=x").errors()).containsExactly("cursor:INVALID_FORMAT");
        assertThat(api.get("/api/v1/agents?published=maybe").errors()).containsExactly("published:INVALID_FORMAT");
    }

    @Test
    void agentsNeedAnApiKey() {
        Answer answer = anonymous().get("/api/v1/agents");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(anonymous().post("/api/v1/agents", body("J", "j@x.io", slug(), true)).status()).isEqualTo(401);
    }
}
