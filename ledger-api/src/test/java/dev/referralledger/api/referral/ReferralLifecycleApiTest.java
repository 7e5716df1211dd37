package dev.referralledger.api.referral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReferralLifecycleApiTest extends ApiTestSupport {

    @Test
    void createAnswersTheWholeReferralWithItsLocation() {
        Client api = newTenant();
        Answer created = api.post("/api/v1/referrals", referralBody("sam@example.com"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/referrals/" + id);
        JsonNode r = created.json();
        assertThat(r.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(r.path("channel").asText()).isEqualTo("PUBLIC_PROFILE");
        assertThat(r.path("type").asText()).isEqualTo("PURCHASE_PROPERTY_CLOSING");
        assertThat(r.path("referred").path("phone").asText()).isEqualTo("+14155552671");
        assertThat(r.path("expectedValue").path("amount").decimalValue()).isEqualByComparingTo("50000");
        assertThat(r.path("expectedValue").path("currency").asText()).isEqualTo("USD");
        assertThat(r.path("contacts").get(0).path("primary").asBoolean()).isTrue();
        assertThat(r.path("metadata").path("campaign").asText()).isEqualTo("spring");
        assertThat(r.path("createdAt").asText()).isNotEmpty();
        assertThat(r.path("version").asLong()).isZero();
        // a read straight after the write sees it
        assertThat(api.get("/api/v1/referrals/" + id).json().path("id").asText()).isEqualTo(id);
    }

    @Test
    void respondAsyncAnswers202AsSoonAsTheReferralIsStored() {
        Client api = newTenant();
        Answer accepted = api.post("/api/v1/referrals", referralBody("sam@example.com"), "Prefer", "respond-async");
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("id").asText();
        assertThat(accepted.header("Location")).isEqualTo("/api/v1/referrals/" + id);
        assertThat(api.get("/api/v1/referrals/" + id + "/events").json().path("events")).hasSize(1);
    }

    @Test
    void aReferralMovesThroughThePipelineAndItsHistoryExplainsIt() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        String base = "/api/v1/referrals/" + id;

        Answer contacted = api.post(base + "/contact", "{\"note\":\"Called Monday\"}");
        assertThat(contacted.status()).isEqualTo(200);
        assertThat(contacted.json().path("status").asText()).isEqualTo("CONTACTED");
        assertThat(contacted.json().path("contactedAt").isNull()).isFalse();

        assertThat(api.post(base + "/qualify", null).json().path("status").asText()).isEqualTo("QUALIFIED");

        Answer converted = api.post(base + "/convert",
                "{\"resultingDealId\":\"deal-42\",\"dealValue\":1250.5,\"currency\":\"EUR\",\"closedAt\":\"2026-11-20T10:00:00Z\"}");
        assertThat(converted.status()).isEqualTo(200);
        assertThat(converted.json().path("status").asText()).isEqualTo("CONVERTED");
        assertThat(converted.json().path("resultingDealId").asText()).isEqualTo("deal-42");
        assertThat(converted.json().path("dealValue").path("amount").decimalValue()).isEqualByComparingTo("1250.50");
        assertThat(converted.json().path("version").asLong()).isEqualTo(3);

        Answer events = api.get(base + "/events");
        assertThat(events.status()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        long lastPosition = 0;
        for (JsonNode e : events.json().path("events")) {
            types.add(e.path("type").asText());
            assertThat(e.path("globalPosition").asLong()).isGreaterThan(lastPosition);
            lastPosition = e.path("globalPosition").asLong();
            assertThat(e.path("metadata").path("tenantId").asText()).isEqualTo(api.tenantId);
            assertThat(e.path("metadata").path("apiKeyId").asText()).startsWith("key_");
            assertThat(e.path("metadata").path("requestId").asText()).isNotEmpty();
            assertThat(e.path("metadata").path("correlationId").asText()).isNotEmpty();
        }
        assertThat(types).containsExactly("ReferralReceived", "ReferralContacted", "ReferralQualified", "ReferralConverted");
        JsonNode first = events.json().path("events").get(0);
        assertThat(first.path("sequenceNumber").asLong()).isZero();
        assertThat(first.path("payload").path("referred").path("email").asText()).isEqualTo("sam@example.com");
    }

    @Test
    void repeatingATransitionIsANoOpWithoutASecondEvent() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        Answer first = api.post("/api/v1/referrals/" + id + "/contact", null);
        Answer again = api.post("/api/v1/referrals/" + id + "/contact", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("version").asLong()).isEqualTo(first.json().path("version").asLong());
        assertThat(api.get("/api/v1/referrals/" + id + "/events").json().path("events")).hasSize(2);
    }

    @Test
    void illegalTransitionsAnswer409AndEmitNothing() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        api.post("/api/v1/referrals/" + id + "/lose", "{\"reason\":\"Went with a friend\"}");
        Answer back = api.post("/api/v1/referrals/" + id + "/qualify", null);
        assertThat(back.status()).isEqualTo(409);
        assertThat(back.contentType()).startsWith("application/problem+json");
        assertThat(back.json().path("code").asText()).isEqualTo("INVALID_TRANSITION");
        assertThat(back.json().path("currentStatus").asText()).isEqualTo("LOST");
        Answer convert = api.post("/api/v1/referrals/" + id + "/convert", "{\"resultingDealId\":\"d\"}");
        assertThat(convert.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/referrals/" + id + "/events").json().path("events")).hasSize(2);
        assertThat(api.get("/api/v1/referrals/" + id).json().path("lostReason").asText()).isEqualTo("Went with a friend");
    }

    @Test
    void convertWithoutADealIsRefused() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        Answer answer = api.post("/api/v1/referrals/" + id + "/convert", "{\"dealValue\":10,\"currency\":\"USD\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors()).containsExactly("resultingDealId:REQUIRED");
    }

    @Test
    void unknownReferralsAnswer404() {
        Client api = newTenant();
        assertThat(api.get("/api/v1/referrals/nope").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/referrals/nope/contact", null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/referrals/nope/events").status()).isEqualTo(404);
    }

    @Test
    void listFiltersAndPagesNewestFirst() {
        Client api = newTenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.post("/api/v1/referrals", referralBody("p" + i + "@example.com")).json().path("id").asText());
        }
        api.post("/api/v1/referrals/" + ids.get(1) + "/contact", null);
        api.post("/api/v1/referrals/" + ids.get(3) + "/contact", null);

        Answer contacted = api.get("/api/v1/referrals?status=contacted");
        assertThat(contacted.json().path("items")).extracting(n -> n.path("id").asText())
                .containsExactly(ids.get(3), ids.get(1));

        Answer page1 = api.get("/api/v1/referrals?limit=2");
        assertThat(page1.json().path("items")).extracting(n -> n.path("id").asText()).containsExactly(ids.get(4), ids.get(3));
        String cursor = page1.json().path("nextCursor").asText();
        api.post("/api/v1/referrals", referralBody("late@example.com"));
        Answer page2 = api.get("/api/v1/referrals?limit=2&cursor=" + cursor);
        assertThat(page2.json().path("items")).extracting(n -> n.path("id").asText()).containsExactly(ids.get(2), ids.get(1));

        assertThat(api.get("/api/v1/referrals?referrerEmail=PAT@example.com&agentId=agent-7&channel=public_profile")
                .json().path("items")).hasSize(6);
        assertThat(api.get("/api/v1/referrals?createdFrom=2999-01-01T00:00:00Z").json().path("items")).isEmpty();
        assertThat(api.get("/api/v1/referrals?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/referrals?cursor=abc").errors()).containsExactly("cursor:INVALID_FORMAT");
        assertThat(api.get("/api/v1/referrals?createdFrom=yesterday").errors()).containsExactly("createdFrom:INVALID_FORMAT");
    }

    @Test
    void aRefundReversesPartOfTheDealThenAChargebackTheRest() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        String base = "/api/v1/referrals/" + id;
        Answer early = api.post(base + "/reverse", "{\"kind\": \"REFUND\"}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().path("code").asText()).isEqualTo("INVALID_TRANSITION");
        api.post(base + "/convert", "{\"resultingDealId\": \"deal-7\", \"dealValue\": 1000, \"currency\": \"USD\"}");

        Answer refund = api.post(base + "/reverse", "{\"kind\": \"refund\", \"amount\": 250, \"currency\": \"USD\", \"reason\": \"One item returned\"}");
        assertThat(refund.status()).isEqualTo(200);
        assertThat(refund.json().path("reversedValue").path("amount").decimalValue()).isEqualByComparingTo("250");
        assertThat(refund.json().path("fullyReversed").asBoolean()).isFalse();
        assertThat(refund.json().path("status").asText()).isEqualTo("CONVERTED");

        Answer tooMuch = api.post(base + "/reverse", "{\"amount\": 750.01, \"currency\": \"USD\"}");
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.errors()).containsExactly("amount:EXCEEDS_REMAINING");

        Answer chargeback = api.post(base + "/reverse", "{\"kind\": \"CHARGEBACK\"}");
        assertThat(chargeback.json().path("reversedValue").path("amount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(chargeback.json().path("reversalKind").asText()).isEqualTo("CHARGEBACK");
        assertThat(chargeback.json().path("fullyReversed").asBoolean()).isTrue();
        Answer again = api.post(base + "/reverse", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("ALREADY_REVERSED");
        assertThat(api.get(base + "/events").json().path("events")).hasSize(4);
    }
}
