package dev.referralledger.api.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.api.LedgerApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reward's hold deadline lives in PostgreSQL: the application is killed (SIGKILL) while the reward is HELD
 * and started again on the same data directory, and the deadline still fires: the reward becomes READY.
 */
class RewardDeadlineRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ADMIN = "deadline-admin";

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();
    private int port;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aHoldDeadlineScheduledBeforeARestartStillFires() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process first = start();
        send("POST", "/admin/tenants", ADMIN, "{\"id\":\"held\",\"name\":\"Held\"}");
        String key = send("POST", "/admin/tenants/held/api-keys", ADMIN, "{}").path("secret").asText();
        // one hold day lasts 8 s here: due well before the second start-up completes
        JsonNode reward = send("POST", "/api/v1/rewards", key,
                "{\"recipientId\": \"p-1\", \"type\": \"GIFT_CARD\", \"amount\": 25, \"currency\": \"USD\", \"holdDays\": 1}");
        String id = reward.path("id").asText();
        assertThat(reward.path("status").asText()).isEqualTo("HELD");

        first.destroyForcibly().waitFor(); // SIGKILL while HELD
        start();
        long deadline = System.currentTimeMillis() + 60_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = send("GET", "/api/v1/rewards/" + id, key, null).path("status").asText();
            if (status.equals("READY")) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(status).isEqualTo("READY");
    }

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(),
                "--server.port=" + port, "--ledger.db.url=", "--ledger.embedded.data-dir=" + dataDir,
                "--ledger.admin-token=" + ADMIN, "--ledger.demo-tenant=false",
                "--ledger.rewards.hold-day-length=PT8S", "--ledger.rewards.deadline-poll-interval=PT0.5S")
                .redirectErrorStream(true)
                .redirectOutput(new File("target", "reward-deadline-app-" + started.size() + ".log"));
        Process process = builder.start();
        started.add(process);
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(process.isAlive()).as("application process is running").isTrue();
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the application did not become ready");
    }

    private JsonNode send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
