package dev.referralledger.api.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A referral and the attribution report as they were at past instants, over HTTP against real PostgreSQL. */
class AsOfApiTest extends ApiTestSupport {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aReferralAsOfEachStepShowsWhatWasKnownThen() throws Exception {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        String base = "/api/v1/referrals/" + id;
        Thread.sleep(5);
        assertThat(api.post(base + "/contact", "{\"note\": \"called\"}").status()).isEqualTo(200);
        Thread.sleep(5);
        assertThat(api.post(base + "/qualify", null).status()).isEqualTo(200);
        Thread.sleep(5);
        // the deal closed long before it was recorded: "as of" follows the recording, not the business date
        assertThat(api.post(base + "/convert", """
                {"resultingDealId": "deal-1", "dealValue": 1000, "currency": "USD",
                 "closedAt": "2020-01-15T00:00:00Z"}""").status()).isEqualTo(200);
        Thread.sleep(5);
        assertThat(api.post(base + "/reverse", """
                {"kind": "REFUND", "amount": 250, "currency": "USD", "reason": "one item back"}""").status())
                .isEqualTo(200);

        List<Instant> at = new ArrayList<>();
        api.get(base + "/events").json().path("events").forEach(e -> at.add(Instant.parse(e.path("timestamp").asText())));
        assertThat(at).hasSize(5);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i)).isAfter(at.get(i - 1));
        }

        Answer before = api.get(base + "?asOf=" + at.get(0).minus(1, ChronoUnit.MILLIS));
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.contentType()).startsWith("application/problem+json");
        assertThat(before.json().path("code").asText()).isEqualTo("REFERRAL_NOT_YET_RECEIVED");
        assertThat(Instant.parse(before.json().path("receivedAt").asText())).isEqualTo(at.get(0));

        JsonNode received = asOf(api, base, at.get(0));
        assertThat(received.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(received.path("version").asLong()).isZero();
        assertThat(received.path("contactedAt").isNull()).isTrue();
        assertThat(received.path("referrer").path("email").asText()).isEqualTo("pat@example.com");
        assertThat(received.path("expectedValue").path("amount").decimalValue()).isEqualByComparingTo("50000");

        JsonNode contacted = asOf(api, base, at.get(2).minusNanos(1000));
        assertThat(contacted.path("status").asText()).isEqualTo("CONTACTED");
        assertThat(contacted.path("version").asLong()).isEqualTo(1);
        assertThat(contacted.path("qualifiedAt").isNull()).isTrue();

        JsonNode qualified = asOf(api, base, at.get(2));
        assertThat(qualified.path("status").asText()).isEqualTo("QUALIFIED");
        assertThat(qualified.path("dealValue").isNull()).isTrue();

        JsonNode converted = asOf(api, base, at.get(3));
        assertThat(converted.path("status").asText()).isEqualTo("CONVERTED");
        assertThat(converted.path("dealValue").path("amount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(converted.path("resultingDealId").asText()).isEqualTo("deal-1");
        assertThat(converted.path("reversedValue").isNull()).isTrue();
        assertThat(converted.path("fullyReversed").asBoolean()).isFalse();

        // now (a future instant means now) is exactly what the pipeline answers, field for field
        JsonNode now = api.get(base).json();
        assertThat(now.path("reversedValue").path("amount").decimalValue()).isEqualByComparingTo("250");
        assertThat(asOf(api, base, Instant.now().plus(3650, ChronoUnit.DAYS))).isEqualTo(now);
        assertThat(asOf(api, base, at.get(4))).isEqualTo(now);

        Answer bad = api.get(base + "?asOf=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errors()).containsExactly("asOf:INVALID_INSTANT");
        assertThat(api.get(base + "?asOf=").errors()).containsExactly("asOf:INVALID_INSTANT");
        Answer otherTenant = newTenant().get(base + "?asOf=" + at.get(4));
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(api.get("/api/v1/referrals/no-such-referral?asOf=" + at.get(4)).json().path("code").asText())
                .isEqualTo("NOT_FOUND");

        // the attribution report as of each instant: the conversion counts once recorded, the refund once recorded
        String report = "/api/v1/reports/attribution?groupBy=agent&asOf=";
        JsonNode latest = eventually(() -> api.get(report + Instant.now()),
                r -> r.json().path("rows").path(0).path("reversals").asLong() == 1).path("rows").path(0);
        assertThat(latest.path("revenue").decimalValue()).isEqualByComparingTo("1000");
        assertThat(latest.path("reversedRevenue").decimalValue()).isEqualByComparingTo("250");
        assertThat(api.get(report + at.get(2)).json().path("rows").size())
                .as("converted on a business date long past, but recorded after this instant").isZero();
        JsonNode atConversion = api.get(report + at.get(3)).json();
        assertThat(atConversion.path("asOf").asText()).isEqualTo(at.get(3).toString());
        JsonNode row = atConversion.path("rows").path(0);
        assertThat(row.path("key").asText()).isEqualTo("agent-7");
        assertThat(row.path("conversions").asLong()).isEqualTo(1);
        assertThat(row.path("revenue").decimalValue()).isEqualByComparingTo("1000");
        assertThat(row.path("reversedRevenue").decimalValue()).isEqualByComparingTo("0");
        assertThat(row.path("netRevenue").decimalValue()).isEqualByComparingTo("1000");
        assertThat(api.get(report + "soon").errors()).containsExactly("asOf:INVALID_INSTANT");
        assertThat(api.get("/api/v1/reports/attribution?groupBy=agent").json().has("asOf")).isFalse();

        // recorded_at is the event's own timestamp (its text cast, never compared as a string)
        Integer matching = jdbc.queryForObject("""
                SELECT count(*) FROM attribution_entry a JOIN domain_event_entry d
                  ON d.aggregate_identifier = a.source_id AND d.sequence_number = a.source_sequence
                WHERE a.tenant_id = ? AND a.recorded_at = d.time_stamp::timestamptz""", Integer.class, api.tenantId);
        assertThat(matching).isEqualTo(2);
    }

    private static JsonNode asOf(Client api, String base, Instant at) {
        Answer answer = api.get(base + "?asOf=" + at);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode eventually(java.util.function.Supplier<Answer> ask, Predicate<Answer> done)
            throws InterruptedException {
        Answer answer = ask.get();
        for (int i = 0; i < 200 && !(answer.status() == 200 && done.test(answer)); i++) {
            Thread.sleep(25);
            answer = ask.get();
        }
        assertThat(done.test(answer)).as("the report caught up: " + answer.raw().body()).isTrue();
        return answer.json();
    }
}
