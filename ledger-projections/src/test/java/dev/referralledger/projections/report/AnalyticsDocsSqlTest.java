package dev.referralledger.projections.report;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every {@code ```sql} block of docs/analytics.md against PostgreSQL after seeding the tenant {@code acme}.
 * A block's first line says how: {@code -- run as: database owner} runs in a transaction that is rolled back;
 * {@code -- run as: application user} runs as the migrating user; any other block runs as {@code ledger_analyst}
 * and must return at least one row.
 */
class AnalyticsDocsSqlTest {

    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());

    @Test
    void everySqlExampleInTheAnalyticsDocsRuns() throws Exception {
        List<String> blocks = blocks(docs());
        assertThat(blocks).as("docs/analytics.md has SQL examples").hasSizeGreaterThanOrEqualTo(6);
        AnalyticsData.seed(jdbc, "acme");
        boolean analystRole = AnalystRoleTest.roleExists(jdbc);
        int asAnalyst = 0;
        for (String sql : blocks) {
            String first = sql.lines().findFirst().orElse("");
            try {
                if (first.startsWith("-- run as: database owner")) {
                    try (Connection c = owner()) {
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        } finally {
                            c.rollback();
                        }
                    }
                } else if (first.startsWith("-- run as: application user")) {
                    try (Connection c = owner(); Statement s = c.createStatement()) {
                        boolean standIn = standInRewardQueue(s);
                        try (ResultSet rs = s.executeQuery(sql)) {
                            if (standIn) {
                                assertThat(rs.next()).as("the stand-in's ready reward is owed:\n" + sql).isTrue();
                                assertThat(rs.getBigDecimal("owed")).isEqualByComparingTo("100");
                                assertThat(rs.next()).as("the held one is not due").isFalse();
                            }
                        }
                    }
                } else {
                    try (Connection c = analystRole ? AnalystRoleTest.asAnalyst() : owner();
                         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        assertThat(rs.next()).as("the example returns rows:\n" + sql).isTrue();
                    }
                    asAnalyst++;
                }
            } catch (SQLException e) {
                fail("docs/analytics.md example failed: " + e.getMessage() + "\n" + sql, e);
            }
        }
        assertThat(asAnalyst).isGreaterThanOrEqualTo(5);
    }

    @Test
    void theTopAdvocatesExampleRanksByNetRevenue() throws Exception {
        AnalyticsData.seed(jdbc, "acme");
        String top = blocks(docs()).get(indexOf("net revenue over"));
        List<String> rows = jdbc.query(top, (rs, n) -> rs.getString("advocate_id") + " " + rs.getString("currency")
                + " " + rs.getBigDecimal("net_revenue").stripTrailingZeros().toPlainString() + " "
                + rs.getBigDecimal("reward_cost").stripTrailingZeros().toPlainString());
        assertThat(rows).containsExactly("adv-2 EUR 500 0", "adv-1 USD 800 100");
    }

    /**
     * Until the rewards processor's table exists in this database, a temporary one with the columns the example
     * reads; false when the real table is there (it may be empty, so the example's rows are not checked).
     */
    private static boolean standInRewardQueue(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('reward_queue') IS NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return false;
            }
        }
        s.execute("""
                CREATE TEMPORARY TABLE reward_queue (tenant_id varchar(64), status varchar(16), held_until timestamptz,
                    amount numeric(19, 4), currency char(3), advocate_id varchar(64));
                INSERT INTO reward_queue VALUES ('acme', 'READY', now() - interval '1 day', 100, 'USD', 'adv-1'),
                    ('acme', 'HELD', now() + interval '20 days', 25, 'USD', 'adv-1')""");
        return true;
    }

    private int indexOf(String heading) throws IOException {
        String docs = docs();
        int at = docs.indexOf(heading);
        Matcher m = SQL_BLOCK.matcher(docs);
        int index = 0;
        while (m.find()) {
            if (m.start() > at) {
                return index;
            }
            index++;
        }
        throw new IllegalStateException("no SQL after " + heading);
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
    }

    private static List<String> blocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SQL_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1).strip());
        }
        return blocks;
    }

    /** docs/ of the repository: the tests run in the module's directory. */
    private static String docs() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("docs").resolve("analytics.md");
            if (Files.exists(file)) {
                return Files.readString(file);
            }
        }
        throw new IOException("docs/analytics.md not found above " + Path.of("").toAbsolutePath());
    }
}
