package dev.referralledger.api.lookup;

import dev.referralledger.projections.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command side's lookups search the whole primary key even under the plan PostgreSQL caches for a prepared
 * statement while {@code command_lookup} is still empty: the plan the driver keeps re-using after five executions,
 * until autovacuum next analyzes the table.
 */
class LookupPlansTest {

    private static String url;

    @BeforeAll
    static void emptyMigratedDatabase() {
        url = TestDatabase.fresh("lookup_plans");
        Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password())
                .locations("classpath:db/migration").load().migrate();
    }

    @Test
    void everyKeyOfALookupIsSearchedByTheWholePrimaryKey() throws SQLException {
        assertThat(genericPlan(JdbcLookups.FIND_ALL)).contains("command_lookup_pkey")
                .containsPattern("Index Cond: .*tenant_id.*kind.*lookup_key");
        assertThat(genericPlan(JdbcLookups.FIND)).contains("command_lookup_pkey")
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
        assertThat(genericPlan(join)).containsPattern("Index Cond: \\(\\(tenant_id\\)::text = \\$3\\)\\n")
                .containsPattern("Join Filter: .*lookup_key");
    }

    /** EXPLAIN of the statement's generic plan, its parameters numbered and each given the value {@code '{x}'}. */
    private static String genericPlan(String sql) throws SQLException {
        String numbered = sql;
        int n = 0;
        while (numbered.contains("?")) {
            numbered = numbered.replaceFirst("\\?", "\\$" + (++n));
        }
        String args = String.join(", ", java.util.Collections.nCopies(n, "'{x}'"));
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
