package dev.referralledger.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code POST /api/v1/referrals/import}, under {@code ledger.import.*}.
 *
 * @param maxBodyBytes the import's own body limit: 10,000 referrals do not fit the API's 1 MB
 * @param threads      items handled at once, across all imports running in this process
 */
@ConfigurationProperties("ledger.import")
public record ImportProperties(@DefaultValue("33554432") long maxBodyBytes, @DefaultValue("2") int threads) {
}
