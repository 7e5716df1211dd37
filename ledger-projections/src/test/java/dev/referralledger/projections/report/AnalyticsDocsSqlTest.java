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
                    try (Connection c = owner(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        assertThat(rs.next()).as("the example returns rows:\n" + sql).isTrue();
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

    @Test
    void theRewardsOwedExampleCountsReadyAndDueRewardsOnly() throws Exception {
        AnalyticsData.seed(jdbc, "acme");
        String owed = blocks(docs()).get(indexOf("Rewards owed today"));
        List<String> rows = jdbc.query(owed, (rs, n) -> rs.getString("advocate_id") + " " + rs.getString("currency")
                + " " + rs.getInt("rewards") + " " + rs.getBigDecimal("owed").stripTrailingZeros().toPlainString());
        // adv-1: one READY (100) and one HELD until yesterday (30); the one held for 20 more days and the SENT one are not owed
        assertThat(rows).containsExactly("adv-1 USD 2 130");
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
