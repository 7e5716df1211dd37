package dev.referralledger.api.referral;

import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.projections.referral.ReferralPipelineProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.referralledger.projections.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the pipeline projection stopped, a write is still stored and answered 202; reads catch up later.
 * The application runs on a database of its own, so that no other test's application projects its events.
 */
@TestPropertySource(properties = "ledger.read-your-writes-timeout=PT0.3S")
class ReadYourWritesTimeoutApiTest extends ApiTestSupport {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        String url = TestDatabase.fresh("ryw_timeout");
        registry.add("ledger.test.database-url", () -> url);
    }

    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void aWriteTheProjectionHasNotShownYetIsAnswered202() throws Exception {
        Client api = newTenant();
        EventProcessor pipeline = processing.eventProcessor(ReferralPipelineProjection.NAME).orElseThrow();
        pipeline.shutDown();
        try {
            Answer created = api.post("/api/v1/referrals", referralBody("slow@example.com"));
            assertThat(created.status()).isEqualTo(202);
            String id = created.json().path("id").asText();
            assertThat(created.json().path("version").asLong()).isZero();
            assertThat(created.header("Location")).isEqualTo("/api/v1/referrals/" + id);
            Answer contacted = api.post("/api/v1/referrals/" + id + "/contact", null);
            assertThat(contacted.status()).isEqualTo(202);
            assertThat(contacted.json().path("version").asLong()).isEqualTo(1);
            assertThat(api.get("/api/v1/referrals/" + id).status()).isEqualTo(404);

            pipeline.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (api.get("/api/v1/referrals/" + id).status() != 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Answer later = api.get("/api/v1/referrals/" + id);
            assertThat(later.status()).isEqualTo(200);
            assertThat(later.json().path("status").asText()).isEqualTo("CONTACTED");
        } finally {
            pipeline.start();
        }
    }
}
