package dev.referralledger.api.referral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Referrals from impressions and codes, people matching, and the rules that stop bad referrals. */
class ReferralSourcesApiTest extends ApiTestSupport {

    private record Setup(Client api, String programId, String advocateId, String code) {
    }

    private Setup program(int velocityLimit) {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", """
                {"name": "Campus", "slug": "campus", "velocityLimitPerHour": %d}""".formatted(velocityLimit))
                .json().path("id").asText();
        JsonNode advocate = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}").json();
        return new Setup(api, program, advocate.path("advocateId").asText(), advocate.path("referralCode").asText());
    }

    private static String signup(String source, String email) {
        return """
                {%s, "referred": {"firstName": "Sam", "lastName": "Lee", "email": "%s"}}""".formatted(source, email);
    }

    @Test
    void aSignupAfterAnImpressionIsCreditedToItsAdvocate() {
        Setup s = program(20);
        String impression = s.api().post("/api/v1/impressions",
                "{\"referralCode\": \"" + s.code() + "\", \"source\": \"QR\", \"placement\": \"Poster 3\"}")
                .json().path("id").asText();
        Answer created = s.api().post("/api/v1/referrals", signup("\"impressionId\": \"" + impression + "\"", "sam@example.com"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode r = created.json();
        assertThat(r.path("programId").asText()).isEqualTo(s.programId());
        assertThat(r.path("advocateId").asText()).isEqualTo(s.advocateId());
        assertThat(r.path("referralCode").asText()).isEqualTo(s.code());
        assertThat(r.path("impressionId").asText()).isEqualTo(impression);
        assertThat(r.path("referredPersonId").asText()).isNotEmpty();
        assertThat(s.api().get("/api/v1/referrals?programId=" + s.programId()).json().path("items")).hasSize(1);

        Answer unknown = s.api().post("/api/v1/referrals", signup("\"impressionId\": \"imp_123abc\"", "kim@example.com"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errors()).containsExactly("impressionId:IMPRESSION_NOT_FOUND");
    }

    @Test
    void aSignupWithACodeIsCreditedAndPeopleAreLinked() {
        Setup s = program(20);
        Answer created = s.api().post("/api/v1/referrals",
                signup("\"referralCode\": \"" + s.code().toLowerCase() + "\"", "Sam@Example.com"));
        assertThat(created.status()).isEqualTo(201);
        String referredId = created.json().path("referredPersonId").asText();
        assertThat(created.json().path("advocateId").asText()).isEqualTo(s.advocateId());

        JsonNode referred = awaitPerson(s.api(), referredId, 1, "referralsReceivedTotal");
        assertThat(referred.path("leadSource").asText()).isEqualTo("REFERRAL");
        assertThat(referred.path("email").asText()).isEqualTo("sam@example.com");
        assertThat(referred.path("referralsReceived").get(0).path("id").asText()).isEqualTo(created.json().path("id").asText());
        JsonNode advocate = awaitPerson(s.api(), s.advocateId(), 1, "referralsMadeTotal");
        assertThat(advocate.path("referralsMade").get(0).path("referredPersonId").asText()).isEqualTo(referredId);
        // a later referral naming the same phone-less person by email finds the same person
        Answer direct = s.api().post("/api/v1/referrals", """
                {"referrer": {"email": "sam@example.com"}, "referred": {"firstName": "Kim", "email": "kim@example.com"}}""");
        assertThat(direct.json().path("advocateId").asText()).isEqualTo(referredId);

        Answer unknown = s.api().post("/api/v1/referrals", signup("\"referralCode\": \"ZZZZ9999\"", "kim@example.com"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errors()).containsExactly("referralCode:REFERRAL_CODE_NOT_FOUND");
    }

    @Test
    void selfReferralIsRefused() {
        Setup s = program(20);
        Answer self = s.api().post("/api/v1/referrals", signup("\"referralCode\": \"" + s.code() + "\"", "PAT@example.com"));
        assertThat(self.status()).isEqualTo(422);
        assertThat(self.json().path("code").asText()).isEqualTo("SELF_REFERRAL");
        assertThat(self.contentType()).startsWith("application/problem+json");
    }

    @Test
    void thePersonReferredFirstKeepsTheCreditEvenUnderConcurrency() throws Exception {
        Setup s = program(100);
        String second = s.api().post("/api/v1/programs/" + s.programId() + "/advocates", "{\"email\": \"lee@example.com\"}")
                .json().path("referralCode").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String code = i % 2 == 0 ? s.code() : second;
            answers.add(pool.submit((Callable<Answer>) () -> s.api().post("/api/v1/referrals",
                    signup("\"referralCode\": \"" + code + "\"", "dana@example.com"))));
        }
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        for (Future<Answer> f : answers) {
            Answer a = f.get();
            statuses.add(a.status());
            if (a.status() == 201) {
                winner = a.json().path("id").asText();
            }
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(x -> x == 201).count()).isEqualTo(1);
        Answer again = s.api().post("/api/v1/referrals", signup("\"referralCode\": \"" + second + "\"", "dana@example.com"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("ALREADY_REFERRED");
        assertThat(again.json().path("existingReferralId").asText()).isEqualTo(winner);
        assertThat(s.api().get("/api/v1/referrals?programId=" + s.programId()).json().path("items")).hasSize(1);
    }

    @Test
    void beyondTheVelocityLimitReferralsWaitForAPerson() {
        Setup s = program(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(s.api().post("/api/v1/referrals", signup("\"referralCode\": \"" + s.code() + "\"", "lead" + i + "@example.com"))
                    .json().path("id").asText());
        }
        JsonNode flagged = s.api().get("/api/v1/referrals?flag=review").json().path("items");
        assertThat(flagged).extracting(n -> n.path("id").asText()).containsExactlyInAnyOrder(ids.get(2), ids.get(3));

        Answer convert = s.api().post("/api/v1/referrals/" + ids.get(2) + "/convert", "{\"resultingDealId\": \"d-1\"}");
        assertThat(convert.status()).isEqualTo(409);
        assertThat(convert.json().path("code").asText()).isEqualTo("REFERRAL_IN_REVIEW");

        Answer approved = s.api().post("/api/v1/referrals/" + ids.get(2) + "/review", "{\"decision\": \"APPROVE\"}");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().path("flag").asText()).isEqualTo("APPROVED");
        Answer rejected = s.api().post("/api/v1/referrals/" + ids.get(3) + "/review",
                "{\"decision\": \"REJECT\", \"note\": \"Same household\"}");
        assertThat(rejected.json().path("flag").asText()).isEqualTo("REJECTED");
        assertThat(rejected.json().path("status").asText()).isEqualTo("LOST");
        assertThat(s.api().get("/api/v1/referrals?flag=REVIEW").json().path("items")).isEmpty();
        Answer notFlagged = s.api().post("/api/v1/referrals/" + ids.get(0) + "/review", "{\"decision\": \"APPROVE\"}");
        assertThat(notFlagged.status()).isEqualTo(409);
        assertThat(notFlagged.json().path("code").asText()).isEqualTo("NOT_IN_REVIEW");
    }

    @Test
    void aPausedProgramTakesNoReferrals() {
        Setup s = program(20);
        s.api().post("/api/v1/programs/" + s.programId() + "/pause", null);
        Answer refused = s.api().post("/api/v1/referrals", signup("\"referralCode\": \"" + s.code() + "\"", "sam@example.com"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("PROGRAM_NOT_ACTIVE");
        assertThat(refused.json().path("programId").asText()).isEqualTo(s.programId());
    }

    @Test
    void anIntroductionListsItsFacilitators() {
        Client api = newTenant();
        Answer created = api.post("/api/v1/referrals", """
                {"referrer": {"name": "Cy", "email": "cy@example.com"},
                 "referred": {"firstName": "Ana", "email": "ana@acme.example"},
                 "expectedValue": 50000, "currency": "USD",
                 "introduction": {"seeker": {"id": "u-1", "firstName": "Ana", "company": "Acme"},
                                  "provider": {"id": "u-2", "firstName": "Bo", "lastName": "Chen"},
                                  "connector": {"id": "u-3", "firstName": "Cy"},
                                  "description": "Needs payroll", "productId": "prod-9",
                                  "facilitators": [{"id": "u-4", "name": "Dee", "side": "PROVIDER"}]}}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode intro = created.json().path("introduction");
        assertThat(intro.path("name").asText()).isEqualTo("Acme → Bo Chen");
        assertThat(intro.path("facilitators")).hasSize(2);
        assertThat(intro.path("facilitators").get(0).path("role").asText()).isEqualTo("CONNECTOR");
        Answer tooLong = api.post("/api/v1/referrals", """
                {"referrer": {"email": "cy@example.com"}, "referred": {"firstName": "Ana"},
                 "introduction": {"seeker": {"id": "u-1"}, "provider": {"id": "u-2"}, "name": "%s"}}""".formatted("x".repeat(201)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errors()).containsExactly("introduction.name:TOO_LONG");
    }

    private JsonNode awaitPerson(Client api, String id, int atLeast, String total) {
        for (int i = 0; i < 100; i++) {
            Answer a = api.get("/api/v1/persons/" + id);
            if (a.status() == 200 && a.json().path(total).asInt() >= atLeast) {
                return a.json();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("person " + id + " never showed");
    }
}
