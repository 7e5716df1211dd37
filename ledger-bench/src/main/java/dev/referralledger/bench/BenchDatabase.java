package dev.referralledger.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The PostgreSQL under test. By default an embedded server of the same binaries the application embeds,
 * with fsync and synchronous_commit on; with BENCH_DB_URL an external server. Each run gets a fresh
 * database, so runs do not disturb each other.
 */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    /** False for a second database on the server of another: closing it leaves the server running. */
    private final boolean ownsServer;
    final String database;
    final String serverUrl;
    final String url;
    final String user;
    final String password;
    final HikariDataSource pool;

    private BenchDatabase(EmbeddedPostgres embedded, boolean ownsServer, String serverUrl, String user, String password,
                          String database) throws Exception {
        this.embedded = embedded;
        this.ownsServer = ownsServer;
        this.database = database;
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        this.url = serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(70);
        config.setPoolName("bench");
        this.pool = new HikariDataSource(config);
    }

    static BenchDatabase open(Path workDir) throws Exception {
        String external = System.getenv("BENCH_DB_URL");
        if (external != null && !external.isBlank()) {
            return new BenchDatabase(null, true, external, env("BENCH_DB_USER", "postgres"), env("BENCH_DB_PASSWORD", ""),
                    "ledger_bench");
        }
        Path dir = workDir.resolve("postgres");
        Files.createDirectories(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toFile())
                .setCleanDataDirectory(true)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200");
        String sharedBuffers = System.getenv("BENCH_DB_SHARED_BUFFERS"); // PostgreSQL's default: 128MB
        if (sharedBuffers != null && !sharedBuffers.isBlank()) {
            builder.setServerConfig("shared_buffers", sharedBuffers);
        }
        String keepLog = System.getenv("BENCH_DB_LOG");
        if (keepLog != null && !keepLog.isBlank() && !"0".equals(keepLog)) {
            // the server's own log, for the waits behind a figure: lock waits, autovacuum, statements over 300 ms
            builder.setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", workDir.resolve("postgres-log").toAbsolutePath().toString())
                    .setServerConfig("log_lock_waits", "on").setServerConfig("log_autovacuum_min_duration", "0")
                    .setServerConfig("log_min_duration_statement", "300");
        }
        EmbeddedPostgres pg = builder.start();
        return new BenchDatabase(pg, true, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "ledger_bench");
    }

    /** A second fresh database on the same server: two stores compared under the same machine's noise. */
    BenchDatabase another(String name) throws Exception {
        return new BenchDatabase(embedded, false, serverUrl, user, password, name);
    }

    String describe() {
        return embedded == null ? "external " + serverUrl : "embedded PostgreSQL (fsync=on, synchronous_commit=on"
                + (System.getenv("BENCH_DB_SHARED_BUFFERS") == null ? "" : ", shared_buffers=" + System.getenv("BENCH_DB_SHARED_BUFFERS"))
                + ")";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @Override
    public void close() throws Exception {
        pool.close();
        if (embedded != null && ownsServer) {
            embedded.close();
        }
    }
}
