package dev.referralledger.api.reward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ChildLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reward's hold deadline lives in PostgreSQL: the application is killed (SIGKILL) while the reward is HELD
 * and started again on the same data directory, and the deadline still fires: the reward becomes READY.
 */
class RewardDeadlineRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aHoldDeadlineScheduledBeforeARestartStillFires() throws Exception {
        // one hold day lasts 8 s here: due well before the second start-up completes
        try (ChildLedger ledger = new ChildLedger(dataDir, "deadline-admin", "reward-deadline-app",
                "--ledger.rewards.hold-day-length=PT8S", "--ledger.rewards.deadline-poll-interval=PT0.5S")) {
            Process first = ledger.start();
            String key = ledger.newTenantKey("held");
            JsonNode reward = ledger.send("POST", "/api/v1/rewards", key,
                    "{\"recipientId\": \"p-1\", \"type\": \"GIFT_CARD\", \"amount\": 25, \"currency\": \"USD\", \"holdDays\": 1}");
            String id = reward.path("id").asText();
            assertThat(reward.path("status").asText()).isEqualTo("HELD");

            first.destroyForcibly().waitFor(); // SIGKILL while HELD
            ledger.start();
            long deadline = System.currentTimeMillis() + 60_000;
            String status = null;
            while (System.currentTimeMillis() < deadline) {
                status = ledger.send("GET", "/api/v1/rewards/" + id, key, null).path("status").asText();
                if (status.equals("READY")) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(status).isEqualTo("READY");
        }
    }
}
