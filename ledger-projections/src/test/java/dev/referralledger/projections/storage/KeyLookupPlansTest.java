package dev.referralledger.projections.storage;

import dev.referralledger.projections.agent.AgentQueries;
import dev.referralledger.projections.impression.ImpressionQueries;
import dev.referralledger.projections.invitation.InvitationQueries;
import dev.referralledger.projections.person.PersonQueries;
import dev.referralledger.projections.program.ProgramQueries;
import dev.referralledger.projections.referral.ReferralQueries;
import dev.referralledger.projections.reward.RewardQueries;
import dev.referralledger.projections.testing.GenericPlans;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookups of one row by its id use the primary key even under the plan PostgreSQL caches for a prepared
 * statement while the table is still empty (no statistics yet): the plan the driver keeps re-using after five
 * executions. With the tenant in the condition that plan chose a tenant-led index and read every row of the
 * tenant once the table had grown.
 */
class KeyLookupPlansTest {

    private static GenericPlans plans;

    @BeforeAll
    static void emptyMigratedDatabase() {
        plans = GenericPlans.onEmptyTables("key_lookup_plans");
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
            assertThat(plans.of(lookup.getKey())).as(lookup.getKey()).contains("Index Cond").contains(lookup.getValue());
        }
    }

    @Test
    void theTenantInTheConditionIsWhatMadeThePlanScanTheTenant() throws SQLException {
        // the form the lookup had before: the same empty table, another index
        assertThat(plans.of("SELECT * FROM referral_pipeline WHERE tenant_id = ? AND referral_id = ?"))
                .doesNotContain("referral_pipeline_pkey");
    }
}
