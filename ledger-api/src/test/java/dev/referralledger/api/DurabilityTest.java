package dev.referralledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Nothing acknowledged is lost: the application runs in a process of its own on the embedded PostgreSQL,
 * is killed with SIGKILL right after answering, and started again on the same data directory.
 */
class DurabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ADMIN = "durability-admin";

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();
    private int port;

    /** SIGTERM lets the application stop its embedded PostgreSQL; a test must not leave one running. */
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
    void acknowledgedReferralsSurviveAKillAndARestart() throws Exception {
        port = freePort();
        Process first = start();
        send("POST", "/admin/tenants", ADMIN, "{\"id\":\"durable\",\"name\":\"Durable\"}");
        String key = send("POST", "/admin/tenants/durable/api-keys", ADMIN, "{}").path("secret").asText();
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode created = send("POST", "/api/v1/referrals", key,
                    "{\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"R" + i + "\"}}");
            acknowledged.add(created.path("id").asText());
        }
        send("POST", "/api/v1/referrals/" + acknowledged.get(0) + "/contact", key, null);
        String retried = "{\"referrer\":{\"email\":\"pat@example.com\"},\"referred\":{\"firstName\":\"Once\"}}";
        String onceId = sendWithKey(retried, key, "signup-once").path("id").asText();
        acknowledged.add(onceId);

        first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the database is not told
        start();
        assertThat(ids(key)).containsExactlyInAnyOrderElementsOf(acknowledged);
        // an idempotency key spent before the crash still answers the original referral
        assertThat(sendWithKey(retried, key, "signup-once").path("id").asText()).isEqualTo(onceId);
        assertThat(ids(key)).hasSize(acknowledged.size());
        assertThat(send("GET", "/api/v1/referrals/" + acknowledged.get(0), key, null).path("status").asText())
                .isEqualTo("CONTACTED");
        // writes go on after the crash, with no gap or clash in the aggregate's history
        send("POST", "/api/v1/referrals/" + acknowledged.get(0) + "/qualify", key, null);
        assertThat(send("GET", "/api/v1/referrals/" + acknowledged.get(0) + "/events", key, null).path("events"))
                .hasSize(3);
    }

    private List<String> ids(String key) throws Exception {
        List<String> ids = new ArrayList<>();
        send("GET", "/api/v1/referrals?limit=200", key, null).path("items").forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(),
                "--server.port=" + port, "--ledger.db.url=", "--ledger.embedded.data-dir=" + dataDir,
                "--ledger.admin-token=" + ADMIN, "--ledger.demo-tenant=false")
                .redirectErrorStream(true)
                .redirectOutput(new File("target", "durability-app-" + started.size() + ".log"));
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

    private JsonNode sendWithKey(String body, String token, String idempotencyKey) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/referrals"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
