package dev.referralledger.api.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of tamper evidence and event export/import, under {@code ledger.audit.*}.
 *
 * @param sealInterval          how often the sealer looks for events to seal into checkpoints
 * @param sealMinAge            how long a seal candidate waits before it is sealed, on top of waiting for the
 *                              transactions that were running when it was taken
 * @param importMaxBodyBytes    body limit of {@code POST /admin/events} (an export of a whole ledger is large)
 */
@ConfigurationProperties("ledger.audit")
public record AuditProperties(@DefaultValue("PT1M") Duration sealInterval,
                              @DefaultValue("PT10S") Duration sealMinAge,
                              @DefaultValue("4294967296") long importMaxBodyBytes) {
}
