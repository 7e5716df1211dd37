package dev.referralledger.projections.report;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ledger_analyst reads the analytics views and nothing else, and writes nowhere. */
class AnalystRoleTest {

    static final List<String> VIEWS = List.of("v_referrals", "v_impressions", "v_attribution_entries", "v_attribution",
            "v_advocate_stats", "v_advocate_revenue", "v_funnel_referrals", "v_rewards");

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final String tenant = "t-" + UUID.randomUUID();

    /** A connection of its own that has taken the analyst role (never returned to a pool). */
    static Connection asAnalyst() throws SQLException {
        Connection connection = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
        try (Statement s = connection.createStatement()) {
            s.execute("SET ROLE ledger_analyst");
        }
        return connection;
    }

    static boolean roleExists(JdbcTemplate jdbc) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_analyst')", Boolean.class));
    }

    @Test
    void theMigrationGrantsEveryAnalyticsViewAndOnlyThose() {
        assumeTrue(roleExists(jdbc), "the test database user may not create roles");
        List<String> views = jdbc.queryForList("""
                SELECT table_name FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1""",
                String.class);
        assertThat(views).containsExactlyInAnyOrderElementsOf(VIEWS);
        for (String view : views) {
            assertThat(jdbc.queryForObject("SELECT has_table_privilege('ledger_analyst', ?, 'SELECT')", Boolean.class,
                    "analytics." + view)).as(view).isTrue();
            assertThat(jdbc.queryForObject("SELECT has_table_privilege('ledger_analyst', ?, 'INSERT,UPDATE,DELETE')",
                    Boolean.class, "analytics." + view)).as(view).isFalse();
        }
    }

    @Test
    void theAnalystSelectsFromTheViewsButCannotWriteOrReadTheTables() throws SQLException {
        assumeTrue(roleExists(jdbc), "the test database user may not create roles");
        AnalyticsData.seed(jdbc, tenant);
        try (Connection analyst = asAnalyst(); Statement s = analyst.createStatement()) {
            for (String view : VIEWS) {
                s.executeQuery("SELECT * FROM analytics." + view + " LIMIT 5").close();
            }
            var rs = s.executeQuery("SELECT sum(net_revenue) FROM analytics.v_attribution WHERE tenant_id = '"
                    + tenant + "' AND currency = 'USD'");
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("800");

            assertRefused(s, "INSERT INTO attribution_entry (source_id, source_sequence, entry_type, tenant_id, day, "
                    + "occurred_at, global_position) VALUES ('x', 0, 'CONVERSION', 'x', current_date, now(), 0)");
            assertRefused(s, "DELETE FROM analytics.v_referrals");
            assertRefused(s, "UPDATE analytics.v_impressions SET placement = 'x'");
            assertRefused(s, "SELECT * FROM referral_pipeline LIMIT 1");
            assertRefused(s, "SELECT * FROM api_key LIMIT 1");
            assertRefused(s, "SELECT * FROM domain_event_entry LIMIT 1");
            assertRefused(s, "CREATE TABLE analytics.mine (id int)");
            assertRefused(s, "TRUNCATE attribution_entry");
        }
    }

    private static void assertRefused(Statement s, String sql) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(sql).isEqualTo("42501"));
    }
}
