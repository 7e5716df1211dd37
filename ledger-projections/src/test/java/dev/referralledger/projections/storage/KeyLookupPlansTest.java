package dev.referralledger.projections.storage;

import dev.referralledger.projections.agent.AgentQueries;
import dev.referralledger.projections.impression.ImpressionQueries;
import dev.referralledger.projections.invitation.InvitationQueries;
import dev.referralledger.projections.person.PersonQueries;
import dev.referralledger.projections.program.ProgramQueries;
import dev.referralledger.projections.referral.ReferralQueries;
import dev.referralledger.projections.reward.RewardQueries;
import dev.referralledger.projections.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookups of one row by its id use the primary key even under the plan PostgreSQL caches for a prepared
 * statement while the table is still empty (no statistics yet): the plan the driver keeps re-using after five
 * executions. With the tenant in the condition that plan chose a tenant-led index and read every row of the
 * tenant once the table had grown.
 */
class KeyLookupPlansTest {

    private static String url;

    @BeforeAll
    static void emptyMigratedDatabase() {
        url = TestDatabase.fresh("key_lookup_plans");
        Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password())
                .locations("classpath:db/migration").load().migrate();
    }

    @Test
    void everyLookupByIdUsesThePrimaryKeyUnderAGenericPlanOnAnEmptyTable() throws SQLException {
        Map<String, String> lookups = Map.of(
                ReferralQueries.FIND, "referral_pipeline_pkey",
                AgentQueries.FIND, "agent_profile_pkey",
                ProgramQueries.FIND, "program_pkey",
                RewardQueries.FIND, "reward_queue_pkey",
                ImpressionQueries.FIND, "impression_pkey",
                PersonQueries.FIND, "person_pkey",
                InvitationQueries.FIND, "invitation_pkey");
        for (Map.Entry<String, String> lookup : lookups.entrySet()) {
            assertThat(genericPlan(lookup.getKey())).as(lookup.getKey()).contains("Index Cond").contains(lookup.getValue());
        }
    }

    @Test
    void theTenantInTheConditionIsWhatMadeThePlanScanTheTenant() throws SQLException {
        // the form the lookup had before: the same empty table, another index
        assertThat(genericPlan("SELECT * FROM referral_pipeline WHERE tenant_id = ? AND referral_id = ?"))
                .doesNotContain("referral_pipeline_pkey");
    }

    /** EXPLAIN of the statement's generic plan (the one cached for re-use), its parameters numbered. */
    private static String genericPlan(String sql) throws SQLException {
        String numbered = sql;
        int n = 0;
        while (numbered.contains("?")) {
            numbered = numbered.replaceFirst("\\?", "\\$" + (++n));
        }
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < n; i++) {
            args.append(i == 0 ? "" : ", ").append("'x'");
        }
        try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password());
             Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE lookup AS " + numbered);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE lookup(" + args + ")")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
