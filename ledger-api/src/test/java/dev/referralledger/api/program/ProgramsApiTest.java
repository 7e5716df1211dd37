package dev.referralledger.api.program;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgramsApiTest extends ApiTestSupport {

    static String programBody(String slug) {
        return """
                {"name": "Campus ambassadors", "slug": "%s", "attributionWindowDays": 30, "velocityLimitPerHour": 2,
                 "landingUrl": "https://shop.example.com/join"}""".formatted(slug);
    }

    @Test
    void aProgramIsCreatedUpdatedPausedResumedAndEnded() {
        Client api = newTenant();
        Answer created = api.post("/api/v1/programs", programBody("campus"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.json();
        String id = p.path("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/programs/" + id);
        assertThat(p.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(p.path("campaignToken").asText()).startsWith("cmp_");
        assertThat(p.path("attributionWindowDays").asInt()).isEqualTo(30);
        assertThat(p.path("invitationTypes")).hasSize(2);

        Answer updated = api.send("PATCH", "/api/v1/programs/" + id, "{\"name\": \"Campus 2027\", \"allowedChannels\": [\"api\"]}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("Campus 2027");
        assertThat(updated.json().path("allowedChannels").get(0).asText()).isEqualTo("API");
        assertThat(updated.json().path("slug").asText()).isEqualTo("campus");

        assertThat(api.post("/api/v1/programs/" + id + "/pause", null).json().path("status").asText()).isEqualTo("PAUSED");
        assertThat(api.post("/api/v1/programs/" + id + "/resume", null).json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.post("/api/v1/programs/" + id + "/end", null).json().path("status").asText()).isEqualTo("ENDED");
        Answer again = api.post("/api/v1/programs/" + id + "/resume", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("INVALID_TRANSITION");
        assertThat(api.get("/api/v1/programs?status=ENDED").json().path("items")).hasSize(1);
    }

    @Test
    void slugsAreUniquePerTenantAndValidated() {
        Client api = newTenant();
        assertThat(api.post("/api/v1/programs", programBody("spring")).status()).isEqualTo(201);
        Answer taken = api.post("/api/v1/programs", programBody("Spring"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("code").asText()).isEqualTo("SLUG_TAKEN");
        // another tenant may use the same slug
        assertThat(newTenant().post("/api/v1/programs", programBody("spring")).status()).isEqualTo(201);
        Answer invalid = api.post("/api/v1/programs", """
                {"name": "", "slug": "no spaces", "attributionWindowDays": 0, "invitationTypes": ["FAX"]}""");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errors()).containsExactlyInAnyOrder("name:REQUIRED", "slug:INVALID_SLUG",
                "invitationTypes[0]:UNKNOWN_INVITATION_TYPE", "attributionWindowDays:OUT_OF_RANGE");
    }

    @Test
    void enrollingGivesAShareableCodeOncePerPerson() {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", programBody("campus")).json().path("id").asText();
        Answer first = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat\", \"email\": \"Pat@Example.com\", \"role\": \"STUDENT_AMBASSADOR\"}");
        assertThat(first.status()).isEqualTo(201);
        String code = first.json().path("referralCode").asText();
        assertThat(code).matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}");
        assertThat(first.json().path("shareLink").asText()).isEqualTo("https://shop.example.com/join?ref=" + code);
        Answer again = api.post("/api/v1/programs/" + program + "/advocates", "{\"email\": \"pat@example.com\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("referralCode").asText()).isEqualTo(code);
        assertThat(again.json().path("created").asBoolean()).isFalse();
        String other = api.post("/api/v1/programs/" + program + "/advocates", "{\"phone\": \"+14155552671\"}")
                .json().path("referralCode").asText();
        assertThat(other).isNotEqualTo(code);

        JsonNode listed = api.get("/api/v1/programs/" + program + "/advocates").json().path("items");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("referralCode").asText()).isEqualTo(code);
        assertThat(listed.get(0).path("role").asText()).isEqualTo("STUDENT_AMBASSADOR");
        // the advocate is a person of the tenant
        String advocateId = first.json().path("advocateId").asText();
        assertThat(api.get("/api/v1/persons/" + advocateId).json().path("email").asText()).isEqualTo("pat@example.com");
    }

    @Test
    void aProgramOfAnotherTenantIsNotFound() {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", programBody("campus")).json().path("id").asText();
        Client other = newTenant();
        assertThat(other.get("/api/v1/programs/" + program).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/programs/" + program + "/pause", null).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/programs/" + program + "/advocates", "{\"email\": \"x@example.com\"}").status())
                .isEqualTo(404);
    }

    @Test
    void impressionsResolveTheCodeAndNeverStoreTheRawAddress() {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", programBody("campus")).json().path("id").asText();
        JsonNode advocate = api.post("/api/v1/programs/" + program + "/advocates", "{\"email\": \"pat@example.com\"}").json();
        Answer recorded = api.post("/api/v1/impressions", """
                {"referralCode": "%s", "source": "QR", "placement": "Library poster 3",
                 "clientAddress": "203.0.113.9", "metadata": {"floor": 2}}""".formatted(advocate.path("referralCode").asText().toLowerCase()));
        assertThat(recorded.status()).isEqualTo(201);
        String id = recorded.json().path("id").asText();
        assertThat(recorded.header("Location")).isEqualTo("/api/v1/impressions/" + id);
        JsonNode shown = awaitImpression(api, id);
        assertThat(shown.path("programId").asText()).isEqualTo(program);
        assertThat(shown.path("advocateId").asText()).isEqualTo(advocate.path("advocateId").asText());
        assertThat(shown.path("clientAddressHash").asText()).hasSize(64).doesNotContain("203.0.113.9");
        assertThat(api.get("/api/v1/impressions/" + id + "/events").status()).isEqualTo(404);

        Answer unknown = api.post("/api/v1/impressions", "{\"referralCode\": \"NOPE2345\", \"source\": \"QR\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errors()).containsExactly("referralCode:REFERRAL_CODE_NOT_FOUND");

        api.post("/api/v1/programs/" + program + "/pause", null);
        Answer paused = api.post("/api/v1/impressions", "{\"programId\": \"" + program + "\", \"source\": \"LINK\"}");
        assertThat(paused.status()).isEqualTo(409);
        assertThat(paused.json().path("code").asText()).isEqualTo("PROGRAM_NOT_ACTIVE");
    }

    private JsonNode awaitImpression(Client api, String id) {
        for (int i = 0; i < 100; i++) {
            Answer a = api.get("/api/v1/impressions/" + id);
            if (a.status() == 200) {
                return a.json();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("impression " + id + " never showed");
    }
}
