package dev.referralledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.projections.testing.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * Runs the whole application on a random port against real PostgreSQL (the embedded test server, or
 * LEDGER_TEST_DB_URL). Each test works in a tenant of its own, which is also how tenants are isolated.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.admin-token=" + ApiTestSupport.ADMIN_TOKEN, "ledger.demo-tenant=false"})
public abstract class ApiTestSupport {

    public static final String ADMIN_TOKEN = "test-admin-token";
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        LedgerApplication.disableUpdateChecker();
    }

    @LocalServerPort
    protected int port;

    /** A test class may name a database of its own in {@code ledger.test.database-url}. */
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("ledger.db.url", () -> "${ledger.test.database-url:" + TestDatabase.url() + "}");
        registry.add("ledger.db.user", TestDatabase::user);
        registry.add("ledger.db.password", TestDatabase::password);
    }

    private static final java.util.Map<String, String> OWN_DATABASES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * For a test class's {@code @DynamicPropertySource}: its application runs on a database of its own, made once
     * per name, whose processors, positions and tables no other test's application shares. Answers its URL.
     */
    protected static String useOwnDatabase(DynamicPropertyRegistry registry, String name) {
        String url = OWN_DATABASES.computeIfAbsent(name, TestDatabase::fresh);
        registry.add("ledger.test.database-url", () -> url);
        return url;
    }

    /** An HTTP answer with its body parsed when it is JSON. */
    public record Answer(int status, HttpResponse<String> raw, JsonNode json) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** The codes of a problem's errors as "field:code". */
        public java.util.List<String> errors() {
            java.util.List<String> out = new java.util.ArrayList<>();
            json.path("errors").forEach(e -> out.add(e.path("field").asText() + ":" + e.path("code").asText()));
            return out;
        }
    }

    /** A client bound to one bearer token. */
    public final class Client {
        private final String token;
        public final String tenantId;
        private final int serverPort;

        Client(String token, String tenantId) {
            this(token, tenantId, 0);
        }

        /** A client of another application (another port), e.g. a second ledger started by the test. */
        public Client(String token, String tenantId, int serverPort) {
            this.token = token;
            this.tenantId = tenantId;
            this.serverPort = serverPort;
        }

        public Answer get(String path, String... headers) {
            return send("GET", path, null, headers);
        }

        public Answer post(String path, String body, String... headers) {
            return send("POST", path, body, headers);
        }

        public Answer delete(String path) {
            return send("DELETE", path, null);
        }

        public Answer send(String method, String path, String body, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + (serverPort > 0 ? serverPort : port) + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            for (int i = 0; i < headers.length; i += 2) {
                // replaces, so that a test may send another Content-Type
                request.setHeader(headers[i], headers[i + 1]);
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = response.body() == null || response.body().isBlank() ? JSON.nullNode() : parse(response.body());
                return new Answer(response.statusCode(), response, json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private JsonNode parse(String body) {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.getNodeFactory().textNode(body);
            }
        }
    }

    protected Client admin() {
        return new Client(ADMIN_TOKEN, null);
    }

    protected Client anonymous() {
        return new Client(null, null);
    }

    protected Client as(String token) {
        return new Client(token, null);
    }

    /** A new tenant with a fresh API key. */
    protected Client newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 18);
        Answer tenant = admin().post("/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Test " + id + "\"}");
        if (tenant.status() != 201) {
            throw new IllegalStateException("cannot create tenant: " + tenant.raw().body());
        }
        Answer key = admin().post("/admin/tenants/" + id + "/api-keys", "{\"name\":\"tests\"}");
        return new Client(key.json().path("secret").asText(), id);
    }

    protected static String referralBody(String referredEmail) {
        return """
                {"referrer": {"name": "Pat Jones", "email": "pat@example.com"},
                 "referred": {"firstName": "Sam", "lastName": "Lee", "email": "%s", "phone": "+1 415 555 2671"},
                 "agentId": "agent-7", "channel": "PUBLIC_PROFILE", "type": "PURCHASE_PROPERTY_CLOSING",
                 "expectedValue": 50000, "currency": "USD", "notes": "Selling a condo this spring",
                 "contacts": [{"name": "John", "email": "john@example.com", "primary": true}],
                 "metadata": {"campaign": "spring"}}""".formatted(referredEmail);
    }
}
