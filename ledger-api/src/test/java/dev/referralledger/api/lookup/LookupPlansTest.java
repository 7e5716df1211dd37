package dev.referralledger.api.lookup;

import dev.referralledger.projections.testing.GenericPlans;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command side's lookups search the whole primary key even under the plan PostgreSQL caches for a prepared
 * statement while {@code command_lookup} is still empty: the plan the driver keeps re-using after five executions,
 * until autovacuum next analyzes the table.
 */
class LookupPlansTest {

    private static GenericPlans plans;

    @BeforeAll
    static void emptyMigratedDatabase() {
        plans = GenericPlans.onEmptyTables("lookup_plans");
    }

    @Test
    void everyKeyOfALookupIsSearchedByTheWholePrimaryKey() throws SQLException {
        assertThat(plans.of(JdbcLookups.FIND_ALL)).contains("command_lookup_pkey")
                .containsPattern("Index Cond: .*tenant_id.*kind.*lookup_key");
        assertThat(plans.of(JdbcLookups.FIND)).contains("command_lookup_pkey")
                .containsPattern("Index Cond: .*tenant_id.*kind.*lookup_key");
    }

    @Test
    void asAPlainJoinTheCachedPlanSearchedByTheTenantAlone() throws SQLException {
        // the form findAll had before: every row of the tenant read and filtered, for each lookup
        String join = """
                SELECT l.kind, l.lookup_key, l.owner_id, l.scope_id, l.detail
                FROM unnest(?::varchar[], ?::varchar[]) AS w(kind, lookup_key)
                JOIN command_lookup l ON l.tenant_id = ? AND l.kind = w.kind AND l.lookup_key = w.lookup_key
                WHERE l.expires_at IS NULL OR l.expires_at > now()""";
        assertThat(plans.of(join)).doesNotContainPattern("Index Cond: .*lookup_key");
    }
}
