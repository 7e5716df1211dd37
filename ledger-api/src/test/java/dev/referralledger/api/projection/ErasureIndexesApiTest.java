package dev.referralledger.api.projection;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild's copies start with the indexes that only an erasure looks rows up by once the ledger has erased
 * someone, and without them before: most of what copying a pipeline row costs is maintaining them.
 */
class ErasureIndexesApiTest extends ApiTestSupport {

    /** A ledger of its own: whether anyone was erased is a fact of the whole database. */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        useOwnDatabase(registry, "erasure_indexes");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SideTables sideTables;

    @Autowired
    ProjectionCatalog catalog;

    @Test
    void copiesGetTheErasureIndexesOnceSomeoneWasErasedAndARebuildGivesThemBack() {
        Client api = newTenant();
        String referral = api.post("/api/v1/referrals", referralBody("erase-me@example.com")).json().path("id").asText();
        ProjectionCatalog.Projection pipeline = catalog.projections().get("referral-pipeline");
        ProjectionCatalog.Projection attribution = catalog.projections().get("attribution");

        sideTables.create(pipeline, "probe_before");
        sideTables.create(attribution, "probe_before_attribution");
        assertThat(indexes("probe_before")).contains("referral_pipeline_pkey")
                .doesNotContain("referral_pipeline_advocate_person_idx", "referral_pipeline_referred_person_idx",
                        "referral_pipeline_status_idx");
        // read at every batch: always there
        assertThat(indexes("probe_before_attribution")).contains("attribution_entry_conversion_idx",
                "attribution_entry_reward_idx");

        String person = api.get("/api/v1/referrals/" + referral).json().path("referredPersonId").asText();
        assertThat(api.post("/api/v1/persons/" + person + "/erase", null).status()).isEqualTo(200);
        sideTables.create(pipeline, "probe_after");
        assertThat(indexes("probe_after")).contains("referral_pipeline_pkey", "referral_pipeline_advocate_person_idx",
                "referral_pipeline_referred_person_idx").doesNotContain("referral_pipeline_status_idx");
        jdbc.execute("DROP SCHEMA probe_before CASCADE");
        jdbc.execute("DROP SCHEMA probe_before_attribution CASCADE");
        jdbc.execute("DROP SCHEMA probe_after CASCADE");

        // every index is back on the live table after a rebuild, and the erased person reads as erased
        assertThat(admin().post("/admin/projections/rebuild", null).status()).isEqualTo(200);
        assertThat(indexes("public")).contains("referral_pipeline_advocate_person_idx",
                "referral_pipeline_referred_person_idx", "referral_pipeline_status_idx", "program_advocate_person_idx");
        assertThat(jdbc.queryForObject("SELECT referred_email FROM referral_pipeline WHERE referral_id = ?",
                String.class, referral)).isEqualTo("[erased]");
    }

    private List<String> indexes(String schema) {
        return jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE schemaname = ?", String.class, schema);
    }
}
