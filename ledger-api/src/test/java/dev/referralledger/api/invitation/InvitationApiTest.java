package dev.referralledger.api.invitation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.program.CreateProgram;
import dev.referralledger.core.program.EnrollAdvocate;
import dev.referralledger.core.program.Enrolled;
import dev.referralledger.core.program.PauseProgram;
import dev.referralledger.core.referral.Advocate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/programs/{id}/invitations over HTTP, against real PostgreSQL. */
class InvitationApiTest extends ApiTestSupport {

    @Autowired
    private CommandGateway commands;
    @Autowired
    private JdbcTemplate jdbc;

    /** A program of the tenant (created through the command gateway: programs have no endpoint here yet). */
    private String program(Client api, List<String> invitationTypes) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateProgram(id, api.tenantId, "Spring", "spring-" + id.substring(0, 8), null, null,
                invitationTypes, null, null, null));
        return id;
    }

    private Enrolled enroll(Client api, String programId, String email) {
        return commands.sendAndWait(new EnrollAdvocate(UUID.randomUUID().toString(), api.tenantId, programId,
                new Advocate("Pat", email, null, null), null));
    }

    private static String invitees(String... typeIdentifier) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < typeIdentifier.length; i += 2) {
            items.add("{\"type\":\"" + typeIdentifier[i] + "\",\"identifier\":\"" + typeIdentifier[i + 1]
                    + "\",\"name\":\"Invitee " + i / 2 + "\",\"invitedAt\":\"2024-09-10T16:35:52Z\"}");
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String body(String referrerEmail, String invitees) {
        return "{\"referrer\":{\"email\":\"" + referrerEmail + "\"},\"invitees\":" + invitees + "}";
    }

    private static List<String> codes(Answer answer) {
        List<String> out = new ArrayList<>();
        answer.json().path("results").forEach(r -> out.add(r.path("index").asInt() + ":" + r.path("code").asInt()));
        return out;
    }

    /** Waits for a projection to show what {@code read} looks for. */
    private static <T> T eventually(Supplier<T> read) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            T value = read.get();
            if (value != null || System.currentTimeMillis() > deadline) {
                return value;
            }
            Thread.sleep(50);
        }
    }

    private Map<String, Object> invitationRow(String invitationId, String status) throws InterruptedException {
        return eventually(() -> jdbc.queryForList("SELECT * FROM invitation WHERE invitation_id = ? AND status = ?",
                invitationId, status).stream().findFirst().orElse(null));
    }

    @Test
    void partialSuccessRecordsTheValidInviteesAndAnswersEachCode() throws Exception {
        Client api = newTenant();
        String programId = program(api, List.of("EMAIL"));
        Enrolled pat = enroll(api, programId, "pat@example.com");
        Answer answer = api.post("/api/v1/programs/" + programId + "/invitations", body("PAT@example.com",
                invitees("EMAIL", "sam@example.com", "EMAIL", "not-an-email", "MOBILE", "+14155550100", "EMAIL", "kim@example.com")));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("success").asBoolean()).isTrue();
        assertThat(json.path("code").asInt()).isEqualTo(1000);
        assertThat(json.path("invited").asInt()).isEqualTo(2);
        assertThat(json.path("failed").asInt()).isEqualTo(2);
        assertThat(json.path("batchId").asText()).isNotBlank();
        assertThat(json.path("referralCode").asText()).isEqualTo(pat.referralCode());
        assertThat(json.path("advocateId").asText()).isEqualTo(pat.advocateId());
        assertThat(codes(answer)).containsExactly("0:1000", "1:1701", "2:1206", "3:1000");
        JsonNode invalid = json.path("results").get(1);
        assertThat(invalid.path("success").asBoolean()).isFalse();
        assertThat(invalid.path("identifier").asText()).isEqualTo("not-an-email");
        assertThat(invalid.path("message").asText()).isEqualTo("Invalid identifier for the type");

        String samInvitation = json.path("results").get(0).path("invitationId").asText();
        Map<String, Object> row = invitationRow(samInvitation, "INVITED");
        assertThat(row).isNotNull().containsEntry("identifier", "sam@example.com").containsEntry("name", "Invitee 0")
                .containsEntry("program_id", programId).containsEntry("advocate_id", pat.advocateId())
                .containsEntry("batch_id", json.path("batchId").asText());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invitation WHERE tenant_id = ?", Long.class, api.tenantId))
                .isEqualTo(2L);
    }

    @Test
    void anInviteeWhoArrivesWithTheReferrersCodeBecomesAReferralLinkedToTheInvitation() throws Exception {
        Client api = newTenant();
        String programId = program(api, null);
        Enrolled pat = enroll(api, programId, "pat@example.com");
        Answer sent = api.post("/api/v1/programs/" + programId + "/invitations", body("pat@example.com",
                invitees("EMAIL", "sam@example.com", "MOBILE", "+1 415 555 0100")));
        assertThat(codes(sent)).containsExactly("0:1000", "1:1000");
        String samInvitation = sent.json().path("results").get(0).path("invitationId").asText();

        Answer referral = api.post("/api/v1/referrals", "{\"referralCode\":\"" + pat.referralCode().toLowerCase()
                + "\",\"referred\":{\"firstName\":\"Sam\",\"email\":\"Sam@Example.com\"}}");
        assertThat(referral.status()).isEqualTo(201);
        String referralId = referral.json().path("id").asText();
        assertThat(jdbc.queryForObject("SELECT invitation_id FROM referral_pipeline WHERE referral_id = ?",
                String.class, referralId)).isEqualTo(samInvitation);
        Map<String, Object> accepted = invitationRow(samInvitation, "ACCEPTED");
        assertThat(accepted).isNotNull().containsEntry("referral_id", referralId);
        assertThat(accepted.get("accepted_at")).isNotNull();

        // the other invitee arrives by phone
        Answer byPhone = api.post("/api/v1/referrals", "{\"referralCode\":\"" + pat.referralCode()
                + "\",\"referred\":{\"firstName\":\"Kim\",\"phone\":\"+14155550100\"}}");
        String kimInvitation = sent.json().path("results").get(1).path("invitationId").asText();
        assertThat(invitationRow(kimInvitation, "ACCEPTED")).containsEntry("referral_id", byPhone.json().path("id").asText());
    }

    @Test
    void aProgramsInvitationsAreListedNewestFirstWithTheirStatusAndReadOneByOne() throws Exception {
        Client api = newTenant();
        String programId = program(api, null);
        Enrolled pat = enroll(api, programId, "pat@example.com");
        Enrolled lou = enroll(api, programId, "lou@example.com");
        Answer first = api.post("/api/v1/programs/" + programId + "/invitations", body("pat@example.com",
                invitees("EMAIL", "sam@example.com", "EMAIL", "kim@example.com", "MOBILE", "+14155550101")));
        Answer second = api.post("/api/v1/programs/" + programId + "/invitations", body("lou@example.com",
                invitees("EMAIL", "ray@example.com")));
        String sam = first.json().path("results").get(0).path("invitationId").asText();
        String ray = second.json().path("results").get(0).path("invitationId").asText();
        Answer referral = api.post("/api/v1/referrals", "{\"referralCode\":\"" + pat.referralCode()
                + "\",\"referred\":{\"firstName\":\"Sam\",\"email\":\"sam@example.com\"}}");
        invitationRow(sam, "ACCEPTED");
        eventually(() -> jdbc.queryForList("SELECT 1 FROM invitation WHERE invitation_id = ?", ray).stream()
                .findFirst().orElse(null));

        // two to a page: the newest batch first, then the first batch; every row once
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = api.get("/api/v1/programs/" + programId + "/invitations?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(i -> listed.add(i.path("invitationId").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(2);
        assertThat(listed).hasSize(4).doesNotHaveDuplicates().first().isEqualTo(ray);

        JsonNode accepted = api.get("/api/v1/programs/" + programId + "/invitations?status=accepted").json().path("items");
        assertThat(accepted).hasSize(1);
        assertThat(accepted.get(0).path("invitationId").asText()).isEqualTo(sam);
        assertThat(accepted.get(0).path("referralId").asText()).isEqualTo(referral.json().path("id").asText());
        assertThat(api.get("/api/v1/programs/" + programId + "/invitations?status=INVITED&advocateId=" + pat.advocateId())
                .json().path("items")).hasSize(2);
        assertThat(api.get("/api/v1/programs/" + programId + "/invitations?batchId="
                + second.json().path("batchId").asText()).json().path("items")).hasSize(1);
        assertThat(api.get("/api/v1/programs/" + programId + "/invitations?advocateId=" + lou.advocateId())
                .json().path("items").get(0).path("identifier").asText()).isEqualTo("ray@example.com");

        Answer one = api.get("/api/v1/invitations/" + sam);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(one.json().path("identifier").asText()).isEqualTo("sam@example.com");
        assertThat(one.json().path("advocateId").asText()).isEqualTo(pat.advocateId());
        assertThat(one.json().path("referralCode").asText()).isEqualTo(pat.referralCode());
        assertThat(one.json().path("batchId").asText()).isEqualTo(first.json().path("batchId").asText());
        assertThat(one.json().path("invitedAt").asText()).isEqualTo("2024-09-10T16:35:52Z");

        // another tenant sees neither the program nor the invitation
        Client other = newTenant();
        assertThat(other.get("/api/v1/invitations/" + sam).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/programs/" + programId + "/invitations").status()).isEqualTo(404);
    }

    @Test
    void aBadFilterOrCursorIs400AndNamesTheField() {
        Client api = newTenant();
        String programId = program(api, null);
        for (String[] query : new String[][]{{"status=SENT", "status", "UNKNOWN_STATUS"},
                {"limit=0", "limit", "OUT_OF_RANGE"}, {"limit=201", "limit", "OUT_OF_RANGE"},
                {"cursor=yesterday", "cursor", "INVALID_FORMAT"}}) {
            Answer answer = api.get("/api/v1/programs/" + programId + "/invitations?" + query[0]);
            assertThat(answer.status()).as(query[0]).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo(query[1]);
            assertThat(answer.json().path("errors").get(0).path("code").asText()).isEqualTo(query[2]);
        }
    }

    @Test
    void aReferrerWhoIsNotAnAdvocateOfTheProgramIs1012ForEveryInvitee() {
        Client api = newTenant();
        String programId = program(api, null);
        String other = program(api, null);
        enroll(api, other, "pat@example.com");
        for (String referrer : List.of("nobody@example.com", "pat@example.com")) {
            Answer answer = api.post("/api/v1/programs/" + programId + "/invitations", body(referrer,
                    invitees("EMAIL", "sam@example.com", "EMAIL", "kim@example.com")));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("success").asBoolean()).isFalse();
            assertThat(answer.json().path("code").asInt()).isEqualTo(1012);
            assertThat(answer.json().path("batchId").isNull()).isTrue();
            assertThat(answer.json().path("referralCode").isNull()).isTrue();
            assertThat(codes(answer)).containsExactly("0:1012", "1:1012");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM command_lookup WHERE tenant_id = ? AND kind = 'INVITATION'",
                Long.class, api.tenantId)).isZero();
    }

    @Test
    void theReferrerMayBeNamedByMobile() {
        Client api = newTenant();
        String programId = program(api, null);
        Enrolled pat = commands.sendAndWait(new EnrollAdvocate(UUID.randomUUID().toString(), api.tenantId, programId,
                new Advocate("Pat", null, "+14155552671", null), null));
        Answer answer = api.post("/api/v1/programs/" + programId + "/invitations",
                "{\"referrer\":{\"mobile\":\"+1 415 555 2671\"},\"invitees\":" + invitees("EMAIL", "sam@example.com") + "}");
        assertThat(codes(answer)).containsExactly("0:1000");
        assertThat(answer.json().path("referralCode").asText()).isEqualTo(pat.referralCode());
    }

    @Test
    void invitingTheSameIdentifierAgainAnswersTheFirstInvitation() {
        Client api = newTenant();
        String programId = program(api, null);
        enroll(api, programId, "pat@example.com");
        String path = "/api/v1/programs/" + programId + "/invitations";
        Answer first = api.post(path, body("pat@example.com", invitees("EMAIL", "sam@example.com")));
        Answer again = api.post(path, body("pat@example.com", invitees("EMAIL", "SAM@example.com")));
        assertThat(again.status()).isEqualTo(200);
        JsonNode result = again.json().path("results").get(0);
        assertThat(result.path("code").asInt()).isEqualTo(1000);
        assertThat(result.path("alreadyInvited").asBoolean()).isTrue();
        assertThat(result.path("invitationId").asText())
                .isEqualTo(first.json().path("results").get(0).path("invitationId").asText());
        assertThat(again.json().path("batchId").isNull()).isTrue();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheSameBatch() {
        Client api = newTenant();
        String programId = program(api, null);
        enroll(api, programId, "pat@example.com");
        String path = "/api/v1/programs/" + programId + "/invitations";
        String body = body("pat@example.com", invitees("EMAIL", "sam@example.com", "EMAIL", "kim@example.com"));
        Answer first = api.post(path, body, "Idempotency-Key", "invite-1");
        Answer retry = api.post(path, body, "Idempotency-Key", "invite-1");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, first.json().path("batchId").asText())).isEqualTo(1L);
    }

    @Test
    void anUnknownProgramIs404AndAPausedOneIs409() {
        Client api = newTenant();
        Answer unknown = api.post("/api/v1/programs/" + UUID.randomUUID() + "/invitations",
                body("pat@example.com", invitees("EMAIL", "sam@example.com")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");

        String programId = program(api, null);
        enroll(api, programId, "pat@example.com");
        Answer otherTenant = newTenant().post("/api/v1/programs/" + programId + "/invitations",
                body("pat@example.com", invitees("EMAIL", "sam@example.com")));
        assertThat(otherTenant.status()).isEqualTo(404);

        commands.sendAndWait(new PauseProgram(programId, api.tenantId));
        Answer paused = api.post("/api/v1/programs/" + programId + "/invitations",
                body("pat@example.com", invitees("EMAIL", "sam@example.com")));
        assertThat(paused.status()).isEqualTo(409);
        assertThat(paused.json().path("code").asText()).isEqualTo("PROGRAM_NOT_ACTIVE");
    }

    @Test
    void aMalformedRequestIsRefusedWithTheField() {
        Client api = newTenant();
        String programId = program(api, null);
        enroll(api, programId, "pat@example.com");
        String path = "/api/v1/programs/" + programId + "/invitations";
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add("EMAIL");
            many.add("p" + i + "@example.com");
        }
        Map<String, List<String>> cases = Map.of(
                body("pat@example.com", invitees(many.toArray(String[]::new))), List.of("invitees:TOO_MANY"),
                "{\"invitees\":" + invitees("EMAIL", "sam@example.com") + "}", List.of("referrer.email:REQUIRED"),
                "{\"referrer\":{\"mobile\":\"555\"},\"invitees\":[]}", List.of("referrer.mobile:INVALID_PHONE", "invitees:REQUIRED"),
                body("pat@example.com", "[{\"type\":\"EMAIL\",\"identifier\":\"a@b.co\",\"invitedAt\":\"20240910T16:35:52.pV7BF\"}]"),
                List.of("invitees[0].invitedAt:INVALID_FORMAT"),
                body("pat@example.com", "[{\"type\":\"EMAIL\",\"identifier\":\"a@b.co\",\"id\":\"\"}]"),
                List.of("invitees[0].id:UNKNOWN_FIELD"));
        cases.forEach((body, expected) -> {
            Answer answer = api.post(path, body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.errors()).as(body).containsExactlyElementsOf(expected);
        });
    }
}
