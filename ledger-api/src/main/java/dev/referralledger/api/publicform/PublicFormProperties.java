package dev.referralledger.api.publicform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Settings of the public referral form ({@code /api/public/**}), under {@code ledger.public-form.*}.
 *
 * @param maxBodyBytes   larger bodies answer 413 (the rest of the API has {@code ledger.max-body-bytes})
 * @param perAddress     requests one client address may make, e.g. {@code 10/min}
 * @param perSlug        requests one agent's form may take from all addresses together, e.g. {@code 60/min}
 * @param trackedKeys    how many addresses and slugs are remembered each; the least recently seen are forgotten
 * @param allowedOrigins CORS origins allowed to post the form; {@code *} for any site
 */
@ConfigurationProperties("ledger.public-form")
public record PublicFormProperties(
        @DefaultValue("32768") long maxBodyBytes,
        @DefaultValue("10/min") String perAddress,
        @DefaultValue("60/min") String perSlug,
        @DefaultValue("100000") long trackedKeys,
        @DefaultValue("*") List<String> allowedOrigins) {

    /** Where the public form and anything else public lives; no API key is asked there. */
    public static final String PATH_PREFIX = "/api/public/";
}
