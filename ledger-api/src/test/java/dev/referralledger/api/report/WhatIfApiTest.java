package dev.referralledger.api.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The what-if report over HTTP against real PostgreSQL: Sam is referred by Pat (program Friends), then by Kim
 * (program Family), and converts through Kim's referral; Lee, referred by Pat only, converts afterwards.
 */
class WhatIfApiTest extends ApiTestSupport {

    private static final String FIVE_PERCENT = """
            {"referrer": {"type": "CASH", "percentage": 5, "currency": "USD", "holdDays": 30}}""";

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void creditMovesToTheFirstTouchAndAnotherPolicyChangesTheRewardsWithoutWritingAnything() throws Exception {
        Client api = newTenant();
        String friends = program(api, "Friends", "friends");
        String family = program(api, "Family", "family");
        JsonNode pat = enroll(api, friends, "Pat", "pat@example.com");
        JsonNode kim = enroll(api, family, "Kim", "kim@example.com");
        String patId = pat.path("advocateId").asText();
        String kimId = kim.path("advocateId").asText();

        String byPat = refer(api, pat.path("referralCode").asText(), "Sam", "sam@example.com");
        Thread.sleep(5);
        String byKim = refer(api, kim.path("referralCode").asText(), "Sam", "sam@example.com");
        assertThat(api.get("/api/v1/referrals/" + byKim).json().path("referredPersonId").asText())
                .as("one person, referred twice")
                .isEqualTo(api.get("/api/v1/referrals/" + byPat).json().path("referredPersonId").asText());
        String leeByPat = refer(api, pat.path("referralCode").asText(), "Lee", "lee@example.com");
        convert(api, byKim, 1000);
        Thread.sleep(5);
        convert(api, leeByPat, 2000);
        awaitReward(api, byKim);
        awaitReward(api, leeByPat);
        // the rewards are in reward_queue; attribution_entry (another processor) may still be applying them
        awaitEveryProjectionAtTheHead();

        String before = footprint(api.tenantId);

        // what happened, replayed: the last touch is the ledger's own credit, the policy its own
        JsonNode same = whatIf(api, "{\"attribution\": \"LAST_TOUCH\"}");
        assertThat(same.path("conversions").asLong()).isEqualTo(2);
        assertThat(same.path("moved").size()).isZero();
        JsonNode total = usd(same.path("totals"));
        assertThat(total.path("actual").path("revenue").decimalValue()).isEqualByComparingTo("3000");
        assertThat(total.path("actual").path("rewards").decimalValue()).isEqualByComparingTo("150");
        assertThat(total.path("difference").path("rewards").decimalValue()).isEqualByComparingTo("0");
        assertThat(row(same, kimId).path("difference").path("conversions").asLong()).isZero();

        // first touch: Sam's conversion (and its revenue and reward) moves from Kim to Pat
        JsonNode first = whatIf(api, "{\"attribution\": \"first_touch\"}");
        assertThat(first.path("attribution").asText()).isEqualTo("FIRST_TOUCH");
        assertThat(first.path("moved").size()).isEqualTo(1);
        JsonNode moved = first.path("moved").path(0);
        assertThat(moved.path("referralId").asText()).isEqualTo(byKim);
        assertThat(moved.path("actualAdvocateId").asText()).isEqualTo(kimId);
        assertThat(moved.path("actualProgramId").asText()).isEqualTo(family);
        assertThat(moved.path("whatIfReferralId").asText()).isEqualTo(byPat);
        assertThat(moved.path("whatIfAdvocateId").asText()).isEqualTo(patId);
        assertThat(moved.path("whatIfProgramId").asText()).isEqualTo(friends);
        JsonNode patRow = row(first, patId);
        assertThat(patRow.path("actual").path("conversions").asLong()).isEqualTo(1);
        assertThat(patRow.path("whatIf").path("conversions").asLong()).isEqualTo(2);
        assertThat(patRow.path("whatIf").path("revenue").decimalValue()).isEqualByComparingTo("3000");
        assertThat(patRow.path("difference").path("revenue").decimalValue()).isEqualByComparingTo("1000");
        assertThat(patRow.path("whatIf").path("rewards").decimalValue()).isEqualByComparingTo("150");
        JsonNode kimRow = row(first, kimId);
        assertThat(kimRow.path("whatIf").path("conversions").asLong()).isZero();
        assertThat(kimRow.path("difference").path("revenue").decimalValue()).isEqualByComparingTo("-1000");
        assertThat(kimRow.path("difference").path("rewards").decimalValue()).isEqualByComparingTo("-50");
        assertThat(usd(first.path("totals")).path("difference").path("revenue").decimalValue())
                .as("credit moves, revenue does not appear").isEqualByComparingTo("0");

        // a higher percentage: 10% instead of 5% of 3000 is 150 more
        JsonNode richer = whatIf(api, """
                {"rewardPolicy": {"referrer": {"type": "CASH", "percentage": 10, "currency": "USD"}}}""");
        assertThat(richer.path("rewardPolicy").asBoolean()).isTrue();
        JsonNode richerTotal = usd(richer.path("totals"));
        assertThat(richerTotal.path("actual").path("rewards").decimalValue()).isEqualByComparingTo("150");
        assertThat(richerTotal.path("whatIf").path("rewards").decimalValue()).isEqualByComparingTo("300");
        assertThat(richerTotal.path("difference").path("rewards").decimalValue()).isEqualByComparingTo("150");
        assertThat(row(richer, kimId).path("whatIf").path("rewards").decimalValue()).isEqualByComparingTo("100");

        // caps apply: under first touch Pat earns 100 for Sam, then only 20 of Lee's 200 under a lifetime cap of 120
        JsonNode capped = whatIf(api, """
                {"attribution": "FIRST_TOUCH", "rewardPolicy": {"referrer": {"type": "CASH", "percentage": 10,
                 "currency": "USD", "lifetimeCapPerAdvocate": 120}}}""");
        assertThat(row(capped, patId).path("whatIf").path("rewards").decimalValue()).isEqualByComparingTo("120");
        assertThat(row(capped, patId).path("actual").path("rewards").decimalValue()).isEqualByComparingTo("100");
        assertThat(usd(capped.path("totals")).path("difference").path("rewards").decimalValue())
                .isEqualByComparingTo("-30");

        // one program (the one the referral converted in), and a period
        JsonNode familyOnly = whatIf(api, "{\"programId\": \"" + family + "\", \"attribution\": \"FIRST_TOUCH\"}");
        assertThat(familyOnly.path("conversions").asLong()).isEqualTo(1);
        assertThat(usd(familyOnly.path("totals")).path("actual").path("revenue").decimalValue())
                .isEqualByComparingTo("1000");
        String later = java.time.Instant.now().toString();
        assertThat(whatIf(api, "{\"from\": \"" + later + "\"}").path("conversions").asLong()).isZero();
        assertThat(whatIf(api, "{\"to\": \"2020-01-01\"}").path("conversions").asLong()).isZero();
        assertThat(newTenant().post("/api/v1/reports/what-if", "{\"attribution\": \"FIRST_TOUCH\"}").json()
                .path("conversions").asLong()).as("another tenant's events are not theirs").isZero();

        assertThat(footprint(api.tenantId)).as("the what-if wrote nothing").isEqualTo(before);
    }

    @Test
    void badRequestsAreRefusedWithFieldCodes() {
        Client api = newTenant();
        Answer bad = api.post("/api/v1/reports/what-if", """
                {"from": "2026-11-02", "to": "2026-11-01", "attribution": "MIDDLE_TOUCH",
                 "rewardPolicy": {"referrer": {"type": "CASH", "percentage": 150, "currency": "USD"}}}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.errors()).containsExactly("to:INVALID_RANGE", "attribution:INVALID_VALUE",
                "rewardPolicy.referrer.percentage:OUT_OF_RANGE");
        assertThat(api.post("/api/v1/reports/what-if", "{\"from\": \"yesterday\", \"rewardPolicy\": {}}").errors())
                .containsExactly("from:INVALID_INSTANT", "rewardPolicy.referrer:REQUIRED");
        assertThat(api.post("/api/v1/reports/what-if", """
                {"rewardPolicy": {"referrer": {"type": "CASH", "fixedAmount": 10, "currency": "USD"},
                 "milestones": [{"conversions": 0, "reward": {"type": "CASH", "fixedAmount": 5, "currency": "USD"}}]}}""")
                .errors()).containsExactly("rewardPolicy.milestones[0].conversions:OUT_OF_RANGE");
        Answer empty = api.post("/api/v1/reports/what-if", "{}");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().path("conversions").asLong()).isZero();
        assertThat(anonymous().post("/api/v1/reports/what-if", "{}").status()).isEqualTo(401);
    }

    private static String program(Client api, String name, String slug) {
        String id = api.post("/api/v1/programs", """
                {"name": "%s", "slug": "%s", "velocityLimitPerHour": 1000}""".formatted(name, slug))
                .json().path("id").asText();
        Answer set = api.send("PUT", "/api/v1/programs/" + id + "/reward-policy", FIVE_PERCENT);
        assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
        return id;
    }

    private static JsonNode enroll(Client api, String program, String name, String email) {
        Answer a = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"" + name + "\", \"email\": \"" + email + "\"}");
        assertThat(a.status()).as(a.raw().body()).isLessThan(300);
        return a.json();
    }

    private static String refer(Client api, String code, String name, String email) {
        Answer a = api.post("/api/v1/referrals", """
                {"referralCode": "%s", "referred": {"firstName": "%s", "email": "%s"}}""".formatted(code, name, email));
        assertThat(a.status()).as(a.raw().body()).isEqualTo(201);
        return a.json().path("id").asText();
    }

    private static void convert(Client api, String referral, int value) {
        Answer a = api.post("/api/v1/referrals/" + referral + "/convert",
                "{\"resultingDealId\": \"deal-" + referral + "\", \"dealValue\": " + value + ", \"currency\": \"USD\"}");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
    }

    private static void awaitReward(Client api, String referral) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (api.get("/api/v1/rewards?referralId=" + referral).json().path("items").size() == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no reward for " + referral);
    }

    private void awaitEveryProjectionAtTheHead() throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (admin().get("/admin/projections").json().path("projections").findValues("lag").stream()
                    .allMatch(lag -> lag.asLong() == 0)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the projections did not reach the newest event");
    }

    private static JsonNode whatIf(Client api, String body) {
        Answer a = api.post("/api/v1/reports/what-if", body);
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        return a.json();
    }

    private static JsonNode usd(JsonNode totals) {
        for (JsonNode t : totals) {
            if ("USD".equals(t.path("currency").asText())) {
                return t;
            }
        }
        throw new AssertionError("no USD total in " + totals);
    }

    private static JsonNode row(JsonNode answer, String advocateId) {
        for (JsonNode r : answer.path("advocates")) {
            if (advocateId.equals(r.path("advocateId").asText()) && "USD".equals(r.path("currency").asText())) {
                return r;
            }
        }
        throw new AssertionError("no USD row for " + advocateId + " in " + answer.path("advocates"));
    }

    /** Everything the ledger holds that a what-if could have touched: events, projections, counters, sagas. */
    private String footprint(String tenantId) {
        List<String> parts = new ArrayList<>();
        parts.add(jdbc.queryForObject("SELECT count(*) || ':' || max(global_index) FROM domain_event_entry", String.class));
        for (String table : List.of("referral_pipeline", "attribution_entry", "reward_queue", "advocate_stats",
                "command_lookup", "command_counter", "person")) {
            parts.add(table + "=" + jdbc.queryForObject("SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
                    + " FROM " + table + " t", String.class));
        }
        parts.add(jdbc.queryForObject("SELECT count(*) FROM saga_entry", String.class));
        return String.join(" ", parts);
    }
}
