package dev.referralledger.api.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One DataSource for everything (event store, token store, projections, API tables), with two pools behind it
 * ({@link ConnectionPools}): one for the event processors and the event store's reader, one for the rest. A plain
 * DataSource would open a connection per statement (about 90 commands/s here); the pools keep them open.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    /** The embedded server started by {@link EarlyDatabaseStart} when there is one, else started here. */
    @Bean(destroyMethod = "close")
    DatabaseServer databaseServer(LedgerProperties properties, ObjectProvider<EarlyDatabaseStart> early) throws IOException {
        if (!properties.usesEmbeddedDatabase()) {
            return DatabaseServer.external(properties.db().url(), properties.db().user(), properties.db().password());
        }
        EarlyDatabaseStart earlyStart = early.getIfAvailable();
        DatabaseServer started = earlyStart == null ? null : earlyStart.take();
        return started != null ? started : startEmbedded(properties.embedded());
    }

    /** Starts the embedded server on a thread of its own; {@link DatabaseServer#jdbcUrl()} waits for it. */
    static DatabaseServer startEmbedded(LedgerProperties.Embedded embedded) {
        return DatabaseServer.startEmbedded(embedded == null || embedded.dataDir() == null
                ? Path.of("data", "postgres") : embedded.dataDir(), embedded == null ? 0 : embedded.port());
    }

    @Bean(destroyMethod = "close")
    ConnectionPools dataSource(DatabaseServer server, LedgerProperties properties) {
        LedgerProperties.Db db = properties.db();
        return new ConnectionPools(
                pool("ledger", server, db == null || db.poolSize() <= 0 ? 10 : db.poolSize()),
                pool("ledger-processors", server, db == null || db.processorPoolSize() <= 0 ? 8 : db.processorPoolSize()));
    }

    /** A pool whose connections show {@code name} as their {@code application_name} in {@code pg_stat_activity}. */
    private static HikariDataSource pool(String name, DatabaseServer server, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.addDataSourceProperty("ApplicationName", name);
        config.setMaximumPoolSize(size);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }
}
