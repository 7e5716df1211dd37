package dev.referralledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost: the application runs in a process of its own on the embedded PostgreSQL,
 * is killed with SIGKILL right after answering, and started again on the same data directory.
 */
class DurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedReferralsSurviveAKillAndARestart() throws Exception {
        try (ChildLedger ledger = new ChildLedger(dataDir, "durability-admin", "durability-app")) {
            Process first = ledger.start();
            String key = ledger.newTenantKey("durable");
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                JsonNode created = ledger.send("POST", "/api/v1/referrals", key,
                        "{\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"R" + i + "\"}}");
                acknowledged.add(created.path("id").asText());
            }
            ledger.send("POST", "/api/v1/referrals/" + acknowledged.get(0) + "/contact", key, null);
            String retried = "{\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Once\"}}";
            String onceId = ledger.created("/api/v1/referrals", key, retried, "Idempotency-Key", "signup-once")
                    .path("id").asText();
            acknowledged.add(onceId);

            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the database is not told
            ledger.start();
            assertThat(ids(ledger, key)).containsExactlyInAnyOrderElementsOf(acknowledged);
            // an idempotency key spent before the crash still answers the original referral
            assertThat(ledger.created("/api/v1/referrals", key, retried, "Idempotency-Key", "signup-once")
                    .path("id").asText()).isEqualTo(onceId);
            assertThat(ids(ledger, key)).hasSize(acknowledged.size());
            assertThat(ledger.send("GET", "/api/v1/referrals/" + acknowledged.get(0), key, null).path("status").asText())
                    .isEqualTo("CONTACTED");
            // writes go on after the crash, with no gap or clash in the aggregate's history
            ledger.send("POST", "/api/v1/referrals/" + acknowledged.get(0) + "/qualify", key, null);
            assertThat(ledger.send("GET", "/api/v1/referrals/" + acknowledged.get(0) + "/events", key, null)
                    .path("events")).hasSize(3);
        }
    }

    private static List<String> ids(ChildLedger ledger, String key) throws Exception {
        List<String> ids = new ArrayList<>();
        ledger.send("GET", "/api/v1/referrals?limit=200", key, null).path("items")
                .forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }
}
