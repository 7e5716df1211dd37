package dev.referralledger.projections.testing;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;

/**
 * The plans PostgreSQL caches for prepared statements while the tables are still empty (no statistics yet): the
 * plan the JDBC driver keeps re-using after five executions, until an analysis of the table makes it again.
 */
public final class GenericPlans {

    private final String url;

    private GenericPlans(String url) {
        this.url = url;
    }

    /** A database of its own, every migration applied, every table empty. */
    public static GenericPlans onEmptyTables(String database) {
        String url = TestDatabase.fresh(database);
        Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password())
                .locations("classpath:db/migration").load().migrate();
        return new GenericPlans(url);
    }

    /** EXPLAIN of the statement's generic plan, its {@code ?} parameters numbered and each given {@code '{x}'}. */
    public String of(String sql) throws SQLException {
        String numbered = sql;
        int n = 0;
        while (numbered.contains("?")) {
            numbered = numbered.replaceFirst("\\?", "\\$" + (++n));
        }
        try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password());
             Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE planned AS " + numbered);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE planned(" + String.join(", ", Collections.nCopies(n, "'{x}'")) + ")")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
