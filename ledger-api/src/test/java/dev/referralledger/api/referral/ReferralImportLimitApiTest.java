package dev.referralledger.api.referral;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The import has a body limit of its own, announced or streamed; other endpoints keep theirs. */
@TestPropertySource(properties = {"ledger.import.max-body-bytes=4096", "ledger.max-body-bytes=2048"})
class ReferralImportLimitApiTest extends ApiTestSupport {

    /**
     * A database of its own: an application with other settings on the shared one would run processors of its
     * own there, which could take over another test class's segments while that one stops its processors.
     */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        useOwnDatabase(registry, "referral_import_limit");
    }

    private static String items(int bytes) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; body.length() < bytes; i++) {
            body.append(i == 0 ? "" : ",").append("{\"idempotencyKey\":\"limit-").append(i)
                    .append("\",\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Sam\"}}");
        }
        return body.append(']').toString();
    }

    @Test
    void theImportTakesMoreThanTheApiLimitButNotMoreThanItsOwn() throws Exception {
        Client api = newTenant();
        Answer within = api.post("/api/v1/referrals/import", items(3000));
        assertThat(within.status()).isEqualTo(200);
        assertThat(within.json().path("failed").asInt()).isZero();

        Answer announced = api.post("/api/v1/referrals/import", items(5000));
        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.json().path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        // a streamed body has no Content-Length: it is cut off while it is read
        String secret = admin().post("/admin/tenants/" + api.tenantId + "/api-keys", "{\"name\":\"stream\"}")
                .json().path("secret").asText();
        byte[] large = items(5000).getBytes(StandardCharsets.UTF_8);
        HttpRequest streamed = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/referrals/import"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))).build();
        HttpResponse<String> cut = HttpClient.newHttpClient().send(streamed, HttpResponse.BodyHandlers.ofString());
        assertThat(cut.statusCode()).isEqualTo(413);
        assertThat(cut.body()).contains("PAYLOAD_TOO_LARGE");

        Answer single = api.post("/api/v1/referrals", referralBody("x".repeat(2100) + "@example.com"));
        assertThat(single.status()).isEqualTo(413);
    }
}
