package dev.referralledger.api.rebuild;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every projection rebuilt from the events is what it was, and keeps following new events afterwards. */
class ProjectionRebuildApiTest extends ApiTestSupport {

    @Autowired
    private JdbcTemplate jdbc;

    private Map<String, List<Map<String, Object>>> snapshot(String tenant) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        tables.put("referral_pipeline", jdbc.queryForList("SELECT * FROM referral_pipeline WHERE tenant_id = ? ORDER BY referral_id", tenant));
        tables.put("advocate_stats", jdbc.queryForList("SELECT * FROM advocate_stats WHERE tenant_id = ? ORDER BY advocate_key", tenant));
        tables.put("program", jdbc.queryForList("SELECT * FROM program WHERE tenant_id = ? ORDER BY program_id", tenant));
        tables.put("program_advocate", jdbc.queryForList("SELECT * FROM program_advocate WHERE tenant_id = ? ORDER BY enrollment_id", tenant));
        tables.put("person", jdbc.queryForList("SELECT * FROM person WHERE tenant_id = ? ORDER BY person_id", tenant));
        tables.put("impression", jdbc.queryForList("SELECT * FROM impression WHERE tenant_id = ? ORDER BY impression_id", tenant));
        // arrays compare by identity: compare their contents
        tables.values().forEach(rows -> rows.forEach(row -> row.replaceAll((column, value) -> {
            try {
                return value instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : value;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        })));
        return tables;
    }

    @Test
    void rebuildingEveryProjectionGivesTheSameTables() throws Exception {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", "{\"name\": \"Campus\", \"slug\": \"campus\"}").json().path("id").asText();
        String code = api.post("/api/v1/programs/" + program + "/advocates", "{\"name\": \"Pat\", \"email\": \"pat@example.com\"}")
                .json().path("referralCode").asText();
        String impression = api.post("/api/v1/impressions", "{\"referralCode\": \"" + code + "\", \"source\": \"QR\"}")
                .json().path("id").asText();
        String first = api.post("/api/v1/referrals", """
                {"impressionId": "%s", "referred": {"firstName": "Sam", "email": "sam@example.com"}}""".formatted(impression))
                .json().path("id").asText();
        api.post("/api/v1/referrals/" + first + "/contact", null);
        api.post("/api/v1/referrals", referralBody("kim@example.com"));
        api.post("/api/v1/programs/" + program + "/pause", null);
        waitUntil(() -> jdbc.queryForObject("SELECT count(*) FROM impression WHERE tenant_id = ?", Long.class, api.tenantId) == 1
                && jdbc.queryForObject("SELECT count(*) FROM person WHERE tenant_id = ?", Long.class, api.tenantId) == 3);
        Map<String, List<Map<String, Object>>> before = snapshot(api.tenantId);
        assertThat(before.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());

        Answer rebuilt = admin().post("/admin/projections/rebuild", null);
        assertThat(rebuilt.status()).isEqualTo(200);
        assertThat(rebuilt.json().path("events").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(rebuilt.json().path("processors").toString()).contains("referral-pipeline", "directory", "impressions");
        assertThat(snapshot(api.tenantId)).isEqualTo(before);

        // the processors resumed after the last rebuilt event: a new write is projected once, read back at once
        Answer after = api.post("/api/v1/referrals", referralBody("lee@example.com"));
        assertThat(after.status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM referral_pipeline WHERE tenant_id = ?", Long.class, api.tenantId))
                .isEqualTo(3);
        assertThat(api.get("/api/v1/programs/" + program).json().path("status").asText()).isEqualTo("PAUSED");
    }

    @Test
    void rebuildNeedsTheAdminToken() {
        assertThat(newTenant().post("/admin/projections/rebuild", null).status()).isEqualTo(401);
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }
}
