package dev.referralledger.projections.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The real PostgreSQL the tests run against: an external server when {@code LEDGER_TEST_DB_URL} is set
 * (with {@code LEDGER_TEST_DB_USER}, {@code LEDGER_TEST_DB_PASSWORD}), otherwise one embedded server per test
 * JVM, so that a fresh machine needs nothing installed. Tests isolate themselves by tenant, not by database.
 */
public final class TestDatabase {

    private static EmbeddedPostgres embedded;
    private static HikariDataSource dataSource;

    private TestDatabase() {
    }

    public static synchronized String url() {
        String external = System.getenv("LEDGER_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (embedded == null) {
            try {
                // stopped by the hook below, after the applications under test: zonky's own hook would not wait
                embedded = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitApplicationsClosing();
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    /**
     * The applications of the API tests close in a shutdown hook of their own (Spring Boot's), which runs at the same
     * time as ours: a server stopped under them made each one's event processors retry and wait out Axon's shutdown
     * timeouts, and the test JVM outlived surefire's 30 s of grace. They go first (at most 20 s).
     */
    private static void awaitApplicationsClosing() {
        try {
            Thread.sleep(100); // the JVM starts every hook at once: theirs is running by then
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("SpringApplicationShutdownHook")) {
                    thread.join(20_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A database of its own on the same server, created empty on first use: for a test whose application
     * must be the only one processing events.
     */
    public static synchronized String fresh(String name) {
        String url = url();
        try (var connection = java.sql.DriverManager.getConnection(url, user(), password());
             var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    public static String user() {
        String user = System.getenv("LEDGER_TEST_DB_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    public static String password() {
        String password = System.getenv("LEDGER_TEST_DB_PASSWORD");
        return password == null ? "" : password;
    }

    /** A pooled DataSource on the test database with every migration applied. */
    public static synchronized DataSource migrated() {
        if (dataSource == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url());
            config.setUsername(user());
            config.setPassword(password());
            config.setMaximumPoolSize(4);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        }
        return dataSource;
    }
}
