package dev.referralledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application in a process of its own on an embedded PostgreSQL in {@code dataDir}, for tests that kill it
 * (SIGKILL) and start it again on the same data. Always {@link #close()} it: SIGTERM lets the application stop
 * its PostgreSQL, and a test must not leave one running.
 */
public final class ChildLedger implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;
    private final String adminToken;
    private final String logName;
    private final List<String> extraArguments;
    private final List<Process> started = new ArrayList<>();
    private final int port;

    public ChildLedger(Path dataDir, String adminToken, String logName, String... extraArguments) throws IOException {
        this.dataDir = dataDir;
        this.adminToken = adminToken;
        this.logName = logName;
        this.extraArguments = List.of(extraArguments);
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    /** Starts the application and waits until it is healthy (at most 90 s). */
    public Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(), "--server.port=" + port, "--ledger.db.url=",
                "--ledger.embedded.data-dir=" + dataDir, "--ledger.admin-token=" + adminToken,
                "--ledger.demo-tenant=false"));
        command.addAll(extraArguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target", logName + "-" + started.size() + ".log")).start();
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

    /** A tenant and an API key for it, through the admin API; answers the key's secret. */
    public String newTenantKey(String tenantId) throws Exception {
        send("POST", "/admin/tenants", adminToken, "{\"id\":\"" + tenantId + "\",\"name\":\"" + tenantId + "\"}");
        return send("POST", "/admin/tenants/" + tenantId + "/api-keys", adminToken, "{}").path("secret").asText();
    }

    /** Sends a request and asserts a 2xx answer; {@code headers} are name, value pairs. */
    public JsonNode send(String method, String path, String token, String body, String... headers) throws Exception {
        return send(-1, method, path, token, body, headers);
    }

    /** POSTs and asserts exactly 201 Created. */
    public JsonNode created(String path, String token, String body, String... headers) throws Exception {
        return send(201, "POST", path, token, body, headers);
    }

    private JsonNode send(int expected, String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected > 0) {
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        } else {
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        }
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
