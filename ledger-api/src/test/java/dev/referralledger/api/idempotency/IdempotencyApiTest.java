package dev.referralledger.api.idempotency;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyApiTest extends ApiTestSupport {

    @Test
    void aRetryWithTheSameKeyAndBodyReturnsTheOriginalAndWritesNothing() {
        Client api = newTenant();
        String body = referralBody("sam@example.com");
        Answer first = api.post("/api/v1/referrals", body, "Idempotency-Key", "signup-123");
        Answer retry = api.post("/api/v1/referrals", body, "Idempotency-Key", "signup-123");
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(api.get("/api/v1/referrals").json().path("items")).hasSize(1);
    }

    @Test
    void aBlankBodyKeyIsRefusedByItsOwnName() {
        String body = referralBody("sam@example.com").replaceFirst("\\{", "{\"idempotencyKey\":\" \",");
        assertThat(newTenant().post("/api/v1/referrals", body).errors()).containsExactly("idempotencyKey:REQUIRED");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        Client api = newTenant();
        api.post("/api/v1/referrals", referralBody("sam@example.com"), "Idempotency-Key", "k-1");
        Answer other = api.post("/api/v1/referrals", referralBody("other@example.com"), "Idempotency-Key", "k-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.json().path("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(api.get("/api/v1/referrals").json().path("items")).hasSize(1);
    }

    @Test
    void theKeyMayComeInTheBody() {
        Client api = newTenant();
        String body = referralBody("sam@example.com").replaceFirst("\\{", "{\"idempotencyKey\":\"idemp_20240115_123456\",");
        Answer first = api.post("/api/v1/referrals", body);
        Answer retry = api.post("/api/v1/referrals", body);
        assertThat(retry.json().path("id")).isEqualTo(first.json().path("id"));
        assertThat(api.get("/api/v1/referrals").json().path("items")).hasSize(1);
    }

    @Test
    void keysBelongToOneTenant() {
        Client a = newTenant();
        Client b = newTenant();
        String body = referralBody("sam@example.com");
        Answer fromA = a.post("/api/v1/referrals", body, "Idempotency-Key", "shared");
        Answer fromB = b.post("/api/v1/referrals", body, "Idempotency-Key", "shared");
        assertThat(fromB.status()).isEqualTo(201);
        assertThat(fromB.json().path("id")).isNotEqualTo(fromA.json().path("id"));
    }

    @Test
    void aRefusedRequestSpendsNoKey() {
        Client api = newTenant();
        Answer bad = api.post("/api/v1/referrals", "{}", "Idempotency-Key", "k-bad");
        assertThat(bad.status()).isEqualTo(400);
        Answer good = api.post("/api/v1/referrals", referralBody("sam@example.com"), "Idempotency-Key", "k-bad");
        assertThat(good.status()).isEqualTo(201);
    }

    @Test
    void transitionsTakeKeysToo() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        Answer first = api.post("/api/v1/referrals/" + id + "/lose", "{\"reason\":\"a\"}", "Idempotency-Key", "lose-1");
        Answer retry = api.post("/api/v1/referrals/" + id + "/lose", "{\"reason\":\"a\"}", "Idempotency-Key", "lose-1");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
    }

    @Test
    void concurrentIdenticalRequestsCreateOneReferral() throws Exception {
        Client api = newTenant();
        String body = referralBody("race@example.com");
        int parallel = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return api.post("/api/v1/referrals", body, "Idempotency-Key", "race-1");
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<Answer> answer : answers) {
            Answer a = answer.get();
            assertThat(a.status()).isEqualTo(201);
            ids.add(a.json().path("id").asText());
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(api.get("/api/v1/referrals").json().path("items")).hasSize(1);
    }
}
