package dev.referralledger.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of the ledger, under {@code ledger.*}. docs/configuration.md lists them with their
 * environment variables.
 *
 * @param db                   the external PostgreSQL; when {@code url} is empty the embedded one is started
 * @param embedded             the embedded PostgreSQL
 * @param adminToken           bearer token of the operator API under /admin; empty disables it
 * @param demoTenant           on an empty embedded ledger without admin token, create tenant "demo" and print its key
 * @param idempotencyRetention how long idempotency keys are kept (at least 24 hours)
 * @param defaultPhoneRegion   ISO 3166 region for phone numbers written without a country code (empty: refuse them)
 * @param maxBodyBytes         larger request bodies answer 413
 */
@ConfigurationProperties("ledger")
public record LedgerProperties(
        Db db,
        Embedded embedded,
        String adminToken,
        boolean demoTenant,
        Duration idempotencyRetention,
        String defaultPhoneRegion,
        long maxBodyBytes) {

    /**
     * @param poolSize          connections for requests and everything else that is not an event processor
     * @param processorPoolSize connections of the event processors and the event store's reader ({@link ConnectionPools})
     */
    public record Db(String url, String user, String password, int poolSize, int processorPoolSize) {
    }

    /**
     * @param dataDir where the embedded server keeps its files; a restart on the same directory keeps every event
     * @param port    0 picks a free port
     */
    public record Embedded(Path dataDir, int port) {
    }

    public boolean usesEmbeddedDatabase() {
        return db == null || db.url() == null || db.url().isBlank();
    }

    public boolean adminEnabled() {
        return adminToken != null && !adminToken.isBlank();
    }
}
