package dev.referralledger.api.reward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.reward.CountConversion;
import dev.referralledger.core.reward.IssueReward;
import dev.referralledger.core.reward.Reward;
import dev.referralledger.core.reward.RewardPolicySaga;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.rules.ConflictException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The reward loop over HTTP against PostgreSQL: policy → conversion → HELD → READY → sent → refund → clawback. */
@TestPropertySource(properties = {"ledger.rewards.hold-day-length=PT2S", "ledger.rewards.deadline-poll-interval=PT0.2S"})
class RewardsApiTest extends ApiTestSupport {

    /**
     * A database of its own: its hold deadlines and processors then belong to this test's application alone, not
     * to whichever cached test application of the same JVM polls first.
     */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        useOwnDatabase(registry, "rewards");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CommandGateway commands;

    private record Setup(Client api, String programId, String advocateId, String code) {
    }

    private Setup program(String policy) {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", """
                {"name": "Friends", "slug": "friends", "velocityLimitPerHour": 1000}""").json().path("id").asText();
        Answer set = api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", policy);
        assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
        JsonNode advocate = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}").json();
        return new Setup(api, program, advocate.path("advocateId").asText(), advocate.path("referralCode").asText());
    }

    private static String referral(String code, String email) {
        return """
                {"referralCode": "%s", "referred": {"firstName": "Sam", "email": "%s"}}""".formatted(code, email);
    }

    @Test
    void aConversionEarnsRewardsThatAreHeldThenReadySentAndClawedBackOnARefund() {
        Setup s = program("""
                {"referrer": {"type": "CASH", "fixedAmount": 50, "currency": "USD", "holdDays": 1},
                 "referred": {"type": "COUPON", "percentage": 10, "currency": "USD", "holdDays": 1},
                 "milestones": [{"conversions": 1, "reward": {"type": "GIFT_CARD", "fixedAmount": 25, "currency": "USD", "holdDays": 30}}]}""");
        Client api = s.api();
        JsonNode policy = api.get("/api/v1/programs/" + s.programId() + "/reward-policy").json();
        assertThat(policy.path("version").asInt()).isEqualTo(1);
        assertThat(policy.path("referrer").path("holdDays").asInt()).isEqualTo(1);
        assertThat(api.send("PUT", "/api/v1/persons/" + s.advocateId() + "/consents/email", "{\"granted\": true}").status())
                .isEqualTo(200);

        String referral = api.post("/api/v1/referrals", referral(s.code(), "sam@example.com")).json().path("id").asText();
        Answer converted = api.post("/api/v1/referrals/" + referral + "/convert",
                "{\"resultingDealId\": \"deal-1\", \"dealValue\": 1000, \"currency\": \"USD\"}");
        assertThat(converted.status()).isEqualTo(200);

        JsonNode rewards = await(api, "/api/v1/rewards?referralId=" + referral, items -> items.size() == 3);
        JsonNode referrer = bySide(rewards, "REFERRER");
        assertThat(referrer.path("amount").decimalValue()).isEqualByComparingTo("50");
        assertThat(referrer.path("policyVersion").asInt()).isEqualTo(1);
        assertThat(referrer.path("recipientId").asText()).isEqualTo(s.advocateId());
        assertThat(referrer.path("programId").asText()).isEqualTo(s.programId());
        assertThat(bySide(rewards, "REFERRED").path("amount").decimalValue()).isEqualByComparingTo("100");
        assertThat(bySide(rewards, "MILESTONE").path("amount").decimalValue()).isEqualByComparingTo("25");
        assertThat(rewards.findValuesAsText("status")).allMatch(st -> st.equals("HELD") || st.equals("READY"));
        String referrerId = referrer.path("id").asText();
        // the hold deadline is a row in PostgreSQL until it fires
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_data IS NOT NULL", Long.class))
                .isPositive();

        Answer early = api.post("/api/v1/rewards/" + bySide(rewards, "MILESTONE").path("id").asText() + "/sent",
                "{\"fulfilmentReference\": \"GC-0\"}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().path("code").asText()).isEqualTo("REWARD_NOT_READY");

        await(api, "/api/v1/rewards?status=READY&advocateId=" + s.advocateId(),
                items -> items.findValuesAsText("id").contains(referrerId));
        Answer sent = api.post("/api/v1/rewards/" + referrerId + "/sent", "{\"fulfilmentReference\": \"GC-1234\"}");
        assertThat(sent.status()).as(sent.raw().body()).isEqualTo(200);
        assertThat(sent.json().path("status").asText()).isEqualTo("SENT");
        assertThat(sent.json().path("fulfilmentReference").asText()).isEqualTo("GC-1234");
        assertThat(sent.json().path("thankYou").asText()).isEqualTo("THANKED");
        assertThat(sent.json().path("thankYouChannel").asText()).isEqualTo("EMAIL");

        String referredId = bySide(rewards, "REFERRED").path("id").asText();
        awaitReward(api, referredId, r -> r.path("status").asText().equals("READY"));
        Answer referredSent = api.post("/api/v1/rewards/" + referredId + "/sent", "{\"fulfilmentReference\": \"CPN-9\"}");
        assertThat(referredSent.json().path("thankYou").asText()).isEqualTo("SKIPPED_NO_CONSENT");

        assertThat(api.post("/api/v1/referrals/" + referral + "/reverse", "{\"kind\": \"REFUND\"}").status()).isEqualTo(200);
        JsonNode clawedBack = awaitReward(api, referrerId, r -> !r.path("clawbackAmount").isNull());
        assertThat(clawedBack.path("status").asText()).isEqualTo("SENT");
        assertThat(clawedBack.path("clawbackAmount").decimalValue()).isEqualByComparingTo("50");
        assertThat(clawedBack.path("clawbackReason").asText()).isEqualTo("CONVERSION_REVERSED: REFUND");
        JsonNode milestone = awaitReward(api, bySide(rewards, "MILESTONE").path("id").asText(),
                r -> r.path("status").asText().equals("VOIDED"));
        assertThat(milestone.path("voidReason").asText()).isEqualTo("CONVERSION_REVERSED: REFUND");

        awaitReward(api, referredId, r -> !r.path("clawbackAmount").isNull());
        // the SQL examples of docs/schema.md run as written
        List<String> examples = sqlExamples();
        assertThat(examples).hasSize(2);
        assertThat(jdbc.queryForList(examples.get(0).replace("'acme'", "'" + api.tenantId + "'"))).isEmpty();
        List<java.util.Map<String, Object>> cost = jdbc.queryForList(examples.get(1).replace("'acme'", "'" + api.tenantId + "'"));
        assertThat(cost).hasSize(1);
        // both sent rewards (50 + 100) were clawed back by the full refund
        assertThat((BigDecimal) cost.get(0).get("net_cost")).isEqualByComparingTo("0");
        assertThat(awaitReward(api, referredId, r -> !r.path("clawbackAmount").isNull()).path("clawbackAmount").decimalValue())
                .isEqualByComparingTo("100");
    }

    /** The SQL blocks of the reward_queue section of docs/schema.md. */
    private static List<String> sqlExamples() {
        try {
            String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "schema.md"));
            String section = doc.substring(doc.indexOf("## reward_queue"), doc.indexOf("## reward_policy"));
            List<String> out = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("```sql\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                    .matcher(section);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void rewardsIssuedByHandAreHeldAndCanBeRejected() {
        Client api = newTenant();
        Answer issued = api.post("/api/v1/rewards", """
                {"recipientId": "person-1", "type": "credit", "amount": 20, "currency": "EUR", "reason": "Goodwill"}""");
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        String id = issued.json().path("id").asText();
        assertThat(issued.header("Location")).isEqualTo("/api/v1/rewards/" + id);
        assertThat(issued.json().path("status").asText()).isEqualTo("HELD");
        assertThat(issued.json().path("side").asText()).isEqualTo("REFERRER");
        assertThat(issued.json().path("policyVersion").isNull()).isTrue();

        Answer voided = api.post("/api/v1/rewards/" + id + "/void", "{\"reason\": \"Duplicate\"}");
        assertThat(voided.json().path("status").asText()).isEqualTo("VOIDED");
        assertThat(voided.json().path("voidReason").asText()).isEqualTo("REJECTED: Duplicate");
        assertThat(api.post("/api/v1/rewards/" + id + "/sent", "{\"fulfilmentReference\": \"x\"}").json().path("code").asText())
                .isEqualTo("REWARD_NOT_READY");
        assertThat(newTenant().get("/api/v1/rewards/" + id).status()).isEqualTo(404);

        Answer invalid = api.post("/api/v1/rewards", "{\"type\": \"BITCOIN\", \"amount\": -1, \"currency\": \"USD\", \"holdDays\": 9999}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errors()).containsExactlyInAnyOrder("recipientId:REQUIRED", "type:UNKNOWN_REWARD_TYPE",
                "amount:NEGATIVE_VALUE", "holdDays:OUT_OF_RANGE");
        assertThat(api.get("/api/v1/rewards?status=LOST").errors()).containsExactly("status:UNKNOWN_STATUS");
    }

    @Test
    void anInvalidPolicyIsRefusedFieldByField() {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"P\", \"slug\": \"p\"}").json().path("id").asText();
        Answer invalid = api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", """
                {"referrer": {"type": "CASH", "fixedAmount": 10, "percentage": 5, "currency": "USD"},
                 "referred": {"type": "COUPON", "percentage": 150, "currency": "XXY", "holdDays": -1},
                 "milestones": [{"conversions": 5, "reward": {"type": "CASH", "fixedAmount": 1, "currency": "USD"}},
                                {"conversions": 5, "reward": {"type": "CASH", "fixedAmount": 1, "currency": "USD"}}]}""");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errors()).contains("referrer.percentage:AMOUNT_OR_PERCENTAGE", "referred.percentage:OUT_OF_RANGE",
                "referred.currency:INVALID_CURRENCY", "referred.holdDays:OUT_OF_RANGE",
                "milestones[1].conversions:DUPLICATE_MILESTONE");
        assertThat(api.get("/api/v1/programs/" + program + "/reward-policy").status()).isEqualTo(404);
        Answer missing = api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", "{}");
        assertThat(missing.errors()).containsExactly("referrer:REQUIRED");

        String valid = "{\"referrer\": {\"type\": \"CASH\", \"fixedAmount\": 10, \"currency\": \"USD\"}}";
        assertThat(api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", valid).json().path("version").asInt()).isEqualTo(1);
        // the same policy again is no new version; a change is
        assertThat(api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", valid).json().path("version").asInt()).isEqualTo(1);
        Answer v2 = api.send("PUT", "/api/v1/programs/" + program + "/reward-policy",
                "{\"referrer\": {\"type\": \"CASH\", \"fixedAmount\": 12.50, \"currency\": \"USD\", \"holdDays\": 0}}");
        assertThat(v2.json().path("version").asInt()).isEqualTo(2);
        assertThat(v2.raw().body()).contains("\"fixedAmount\":12.50"); // exact, as money is everywhere
        assertThat(api.send("PUT", "/api/v1/persons/p-1/consents/fax", "{\"granted\": true}").errors())
                .containsExactly("channel:UNKNOWN_CHANNEL");
        assertThat(api.send("PUT", "/api/v1/persons/p-1/consents/sms", "{}").errors()).containsExactly("granted:REQUIRED");
        // the first consents of a person, at once
        List<Integer> statuses = java.util.stream.IntStream.range(0, 4).parallel()
                .mapToObj(i -> api.send("PUT", "/api/v1/persons/p-2/consents/" + (i % 2 == 0 ? "email" : "sms"),
                        "{\"granted\": true}").status()).toList();
        assertThat(statuses).containsOnly(200);
    }

    @Test
    void concurrentConversionsOfOneAdvocateNeverPassTheMonthlyCap() throws Exception {
        Setup s = program("""
                {"referrer": {"type": "CASH", "fixedAmount": 100, "currency": "USD", "monthlyCapPerAdvocate": 250},
                 "milestones": [{"conversions": 3, "reward": {"type": "GIFT_CARD", "fixedAmount": 5, "currency": "USD"}}]}""");
        Client api = s.api();
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            referrals.add(api.post("/api/v1/referrals", referral(s.code(), "friend" + i + "@example.com")).json().path("id").asText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String id : referrals) {
            answers.add(pool.submit(() -> {
                start.await();
                return api.post("/api/v1/referrals/" + id + "/convert",
                        "{\"resultingDealId\": \"d-" + id + "\", \"dealValue\": 500, \"currency\": \"USD\"}").status();
            }));
        }
        start.countDown();
        for (Future<Integer> a : answers) {
            assertThat(a.get()).isEqualTo(200);
        }
        pool.shutdown();
        JsonNode rewards = await(api, "/api/v1/rewards?advocateId=" + s.advocateId(), items -> items.size() == 4);
        BigDecimal referrerTotal = BigDecimal.ZERO;
        int milestones = 0;
        for (JsonNode r : rewards) {
            if (r.path("side").asText().equals("REFERRER")) {
                referrerTotal = referrerTotal.add(r.path("amount").decimalValue());
            } else {
                milestones++;
            }
        }
        assertThat(referrerTotal).isEqualByComparingTo("250");
        assertThat(milestones).isEqualTo(1);
        Thread.sleep(1000); // nothing more arrives: the other conversions hit the cap
        assertThat(api.get("/api/v1/rewards?advocateId=" + s.advocateId()).json().path("items")).hasSize(4);
    }

    /** Eight fulfilment systems report one reward at once: one reference wins, the others are told why. */
    @Test
    void concurrentSendsOfOneRewardSendItOnce() throws Exception {
        Client api = newTenant();
        String id = readyReward(api);
        List<Answer> different = race(8, i -> api.post("/api/v1/rewards/" + id + "/sent",
                "{\"fulfilmentReference\": \"GC-" + i + "\"}"));
        assertThat(different).filteredOn(a -> a.status() == 200).hasSize(1);
        assertThat(different).filteredOn(a -> a.status() == 409)
                .hasSize(7)
                .allMatch(a -> a.json().path("code").asText().equals("REWARD_ALREADY_SENT"));
        String winner = different.stream().filter(a -> a.status() == 200).findFirst().orElseThrow()
                .json().path("fulfilmentReference").asText();
        // the winner's reference again, from eight at once, is the same answer eight times and no new event
        List<Answer> same = race(8, i -> api.post("/api/v1/rewards/" + id + "/sent",
                "{\"fulfilmentReference\": \"" + winner + "\"}"));
        assertThat(same).allMatch(a -> a.status() == 200 && a.json().path("fulfilmentReference").asText().equals(winner));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%RewardSent'", Long.class, id)).isEqualTo(1);
    }

    /**
     * Another writer (a second process on the same database) appends to the reward while a send is deciding: the
     * send's event is refused by the store's unique sequence number, and the send runs again on the new state.
     */
    @Test
    void aSendOvertakenByAnotherWriterIsDecidedAgainOnTheNewState() throws Exception {
        Client api = newTenant();
        String id = readyReward(api);
        long last = jdbc.queryForObject("SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (java.sql.Connection other = jdbc.getDataSource().getConnection()) {
            other.setAutoCommit(false);
            // the other writer's event: the reward's last event once more, at the next sequence number, not committed
            try (java.sql.PreparedStatement copy = other.prepareStatement("""
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                    time_stamp, payload_type, payload_revision, payload, meta_data)
                    SELECT gen_random_uuid()::text, aggregate_identifier, sequence_number + 1, type, time_stamp,
                           payload_type, payload_revision, payload, meta_data
                    FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?""")) {
                copy.setString(1, id);
                copy.setLong(2, last);
                assertThat(copy.executeUpdate()).isEqualTo(1);
            }
            Future<Answer> send = pool.submit(() -> api.post("/api/v1/rewards/" + id + "/sent",
                    "{\"fulfilmentReference\": \"GC-77\"}"));
            // the send's append waits for the other writer's row at the same sequence number
            for (int i = 0; i < 200 && jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'INSERT INTO domain_event_entry%'", Long.class) == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(send.isDone()).isFalse();
            other.commit();
            Answer sent = send.get();
            assertThat(sent.status()).as(sent.raw().body()).isEqualTo(200);
            assertThat(sent.json().path("status").asText()).isEqualTo("SENT");
        } finally {
            pool.shutdown();
        }
        // decided on the new state: the send's events follow the other writer's event
        List<String> after = jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND sequence_number > ? ORDER BY sequence_number", String.class, id, last);
        assertThat(after.get(0)).isEqualTo(jdbc.queryForObject("SELECT payload_type FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = ?", String.class, id, last));
        assertThat(after.get(1)).endsWith(".RewardSent");
        assertThat(after).filteredOn(t -> t.endsWith(".RewardSent")).hasSize(1);
    }

    /** A reward issued by hand without a hold period, once it is READY. */
    private String readyReward(Client api) {
        String id = api.post("/api/v1/rewards", """
                {"recipientId": "person-1", "type": "CASH", "amount": 20, "currency": "EUR", "holdDays": 0}""")
                .json().path("id").asText();
        awaitReward(api, id, r -> r.path("status").asText().equals("READY"));
        return id;
    }

    private static List<Answer> race(int racers, java.util.function.IntFunction<Answer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                start.await();
                return request.apply(n);
            }));
        }
        start.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : futures) {
            answers.add(f.get());
        }
        pool.shutdown();
        return answers;
    }

    /**
     * The commands themselves, raced in parallel transactions (the saga sends them one at a time): the cap's
     * counter rows serialize them, so the rewards issued never pass the cap, and conversion numbers never repeat.
     */
    @Test
    void racingRewardCommandsNeverPassTheCapAndNumberConversionsOnce() throws Exception {
        String tenant = "race-" + UUID.randomUUID().toString().substring(0, 8);
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> issued = new ArrayList<>();
        List<Future<Object>> numbers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String referral = "ref-" + i;
            issued.add(pool.submit(() -> {
                start.await();
                try {
                    commands.sendAndWait(new IssueReward(Reward.idFor(tenant + referral, RewardSide.REFERRER), tenant,
                            referral, "prog-1", "adv-1", null, "REFERRER", "CASH", new BigDecimal("100"), "USD", 30, 1,
                            null, new BigDecimal("250"), null, null));
                    return "issued";
                } catch (ConflictException refused) {
                    return refused.code();
                }
            }));
            numbers.add(pool.submit(() -> {
                start.await();
                return commands.sendAndWait(new CountConversion(tenant, referral, "prog-1", "adv-1"));
            }));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : issued) {
            outcomes.add(f.get());
        }
        List<Object> counted = new ArrayList<>();
        for (Future<Object> f : numbers) {
            counted.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes).filteredOn("issued"::equals).hasSize(3);
        assertThat(outcomes).filteredOn("REWARD_CAP_REACHED"::equals).hasSize(racers - 3);
        assertThat(jdbc.queryForObject("SELECT total FROM command_counter WHERE tenant_id = ? AND counter_key LIKE '%:____-__'",
                BigDecimal.class, tenant)).isEqualByComparingTo("250");
        assertThat(counted).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        // a conversion counted again keeps its number; a reward issued again is refused as a duplicate stream
        assertThat((Object) commands.sendAndWait(new CountConversion(tenant, "ref-0", "prog-1", "adv-1")))
                .isEqualTo(counted.get(0));
        String again = Reward.idFor(tenant + "twice", RewardSide.REFERRER);
        IssueReward twice = new IssueReward(again, tenant, "twice", null, null, "p-1", null, "CASH", BigDecimal.TEN,
                "USD", null, null, null, null, null, null);
        commands.sendAndWait(twice);
        // what the reward policy saga takes for an earlier delivery of the same conversion
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> commands.sendAndWait(twice))
                .matches(RewardPolicySaga::isDuplicate);
    }

    private static JsonNode bySide(JsonNode rewards, String side) {
        for (JsonNode r : rewards) {
            if (r.path("side").asText().equals(side)) {
                return r;
            }
        }
        throw new AssertionError("no " + side + " reward in " + rewards);
    }

    private JsonNode await(Client api, String path, Predicate<JsonNode> done) {
        JsonNode last = null;
        for (int i = 0; i < 150; i++) {
            last = api.get(path).json().path("items");
            if (done.test(last)) {
                return last;
            }
            sleep();
        }
        throw new AssertionError(path + " never matched: " + last);
    }

    private JsonNode awaitReward(Client api, String id, Predicate<JsonNode> done) {
        JsonNode last = null;
        for (int i = 0; i < 150; i++) {
            last = api.get("/api/v1/rewards/" + id).json();
            if (done.test(last)) {
                return last;
            }
            sleep();
        }
        throw new AssertionError("reward " + id + " never matched: " + last);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
