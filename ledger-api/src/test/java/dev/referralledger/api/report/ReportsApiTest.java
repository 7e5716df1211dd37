package dev.referralledger.api.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The report endpoints over HTTP against real PostgreSQL. */
class ReportsApiTest extends ApiTestSupport {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aReferralThroughConversionAndRefundShowsRevenueReversedAndNet() throws Exception {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        String base = "/api/v1/referrals/" + id;
        assertThat(api.post(base + "/contact", null).status()).isEqualTo(200);
        assertThat(api.post(base + "/convert", """
                {"resultingDealId": "deal-1", "dealValue": 1000, "currency": "USD"}""").status()).isEqualTo(200);
        assertThat(api.post(base + "/reverse", """
                {"kind": "REFUND", "amount": 250, "currency": "USD", "reason": "one item back"}""").status())
                .isEqualTo(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        JsonNode report = eventually(() -> api.get("/api/v1/reports/attribution?groupBy=agent&from=" + today
                + "&to=" + tomorrow + "&currency=usd"), r -> r.json().path("rows").path(0).path("reversals").asLong() == 1);
        assertThat(report.path("groupBy").asText()).isEqualTo("agent");
        assertThat(report.path("currency").asText()).isEqualTo("USD");
        JsonNode row = report.path("rows").path(0);
        assertThat(row.path("key").asText()).isEqualTo("agent-7");
        assertThat(row.path("revenue").decimalValue()).isEqualByComparingTo("1000");
        assertThat(row.path("reversedRevenue").decimalValue()).isEqualByComparingTo("250");
        assertThat(row.path("netRevenue").decimalValue()).isEqualByComparingTo("750");
        assertThat(row.path("conversions").asLong()).isEqualTo(1);
        assertThat(row.path("rewardCost").decimalValue()).isEqualByComparingTo("0");

        JsonNode byChannel = api.get("/api/v1/reports/attribution?groupBy=channel").json();
        assertThat(byChannel.path("rows").path(0).path("key").asText()).isEqualTo("PUBLIC_PROFILE");
        JsonNode byAdvocate = api.get("/api/v1/reports/attribution?groupBy=advocate").json();
        assertThat(byAdvocate.path("rows").path(0).path("key").asText())
                .isEqualTo(api.get(base).json().path("advocateId").asText());
        assertThat(api.get("/api/v1/reports/attribution?groupBy=agent&to=" + today).json().path("rows").size())
                .as("to is exclusive").isZero();
        assertThat(api.get("/api/v1/reports/attribution?groupBy=agent&currency=EUR").json().path("rows").size()).isZero();
        assertThat(newTenant().get("/api/v1/reports/attribution?groupBy=agent").json().path("rows").size())
                .as("another tenant sees nothing").isZero();

        JsonNode funnel = api.get("/api/v1/reports/funnel?groupBy=channel&from=" + today).json();
        JsonNode stages = funnel.path("rows").path(0);
        assertThat(stages.path("key").asText()).isEqualTo("PUBLIC_PROFILE");
        assertThat(stages.path("referrals").asLong()).isEqualTo(1);
        assertThat(stages.path("contacted").asLong()).isEqualTo(1);
        assertThat(stages.path("qualified").asLong()).as("converted straight from contacted").isEqualTo(1);
        assertThat(stages.path("converted").asLong()).isEqualTo(1);
        assertThat(stages.path("conversionRate").decimalValue()).isEqualByComparingTo("1");
        assertThat(stages.path("impressions").isNull()).isTrue();

        // a rebuild from the events gives the same entries
        List<Map<String, Object>> before = jdbc.queryForList(
                "SELECT * FROM attribution_entry WHERE tenant_id = ? ORDER BY source_id, source_sequence", api.tenantId);
        assertThat(before).hasSize(2);
        assertThat(admin().post("/admin/projections/rebuild", null).json().path("processors").toString())
                .contains("attribution");
        assertThat(jdbc.queryForList("SELECT * FROM attribution_entry WHERE tenant_id = ? ORDER BY source_id, "
                + "source_sequence", api.tenantId)).isEqualTo(before);
    }

    @Test
    void theFunnelCountsImpressionsPerProgram() throws Exception {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"Campus\", \"slug\": \"campus\"}").json().path("id").asText();
        String code = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}").json().path("referralCode").asText();
        String impression = api.post("/api/v1/impressions", "{\"referralCode\": \"" + code + "\", \"source\": \"QR\"}")
                .json().path("id").asText();
        api.post("/api/v1/impressions", "{\"referralCode\": \"" + code + "\", \"source\": \"LINK\"}");
        api.post("/api/v1/referrals", """
                {"impressionId": "%s", "referred": {"firstName": "Sam", "email": "sam@example.com"}}""".formatted(impression));

        JsonNode report = eventually(() -> api.get("/api/v1/reports/funnel?groupBy=program&programId=" + program),
                r -> r.json().path("rows").path(0).path("impressions").asLong() == 2);
        JsonNode row = report.path("rows").path(0);
        assertThat(row.path("key").asText()).isEqualTo(program);
        assertThat(row.path("referrals").asLong()).isEqualTo(1);
        assertThat(row.path("referralRate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(row.path("contactRate").decimalValue()).isEqualByComparingTo("0");
        assertThat(report.path("programId").asText()).isEqualTo(program);
        assertThat(api.get("/api/v1/reports/funnel?groupBy=advocate&programId=other").json().path("rows").size()).isZero();
    }

    @Test
    void badParametersAreRefusedWithFieldCodes() {
        Client api = newTenant();
        Answer missing = api.get("/api/v1/reports/attribution");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(missing.errors()).containsExactly("groupBy:REQUIRED");

        assertThat(api.get("/api/v1/reports/attribution?groupBy=day&from=2026-13-01&to=yesterday&currency=US&limit=0")
                .errors()).containsExactly("groupBy:INVALID_VALUE", "from:INVALID_DATE", "to:INVALID_DATE",
                "currency:INVALID_CURRENCY", "limit:OUT_OF_RANGE");
        assertThat(api.get("/api/v1/reports/attribution?groupBy=program&from=2026-11-02&to=2026-11-02").errors())
                .containsExactly("to:INVALID_RANGE");
        assertThat(api.get("/api/v1/reports/funnel?groupBy=agent").errors()).containsExactly("groupBy:INVALID_VALUE");
        assertThat(api.get("/api/v1/reports/funnel?groupBy=program&from=2026-11-01T00:00:00Z").errors())
                .containsExactly("from:INVALID_DATE");
        assertThat(api.get("/api/v1/reports/funnel?groupBy=PROGRAM&from=2026-11-01&to=2026-12-01").status())
                .isEqualTo(200);
        assertThat(anonymous().get("/api/v1/reports/funnel?groupBy=program").status()).isEqualTo(401);
    }

    private static JsonNode eventually(Supplier<Answer> ask, java.util.function.Predicate<Answer> done)
            throws InterruptedException {
        Answer answer = ask.get();
        for (int i = 0; i < 200 && !(answer.status() == 200 && done.test(answer)); i++) {
            Thread.sleep(25);
            answer = ask.get();
        }
        assertThat(answer.status()).isEqualTo(200);
        assertThat(done.test(answer)).as("the report caught up: " + answer.raw().body()).isTrue();
        return answer.json();
    }
}
