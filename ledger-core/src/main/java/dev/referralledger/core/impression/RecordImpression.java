package dev.referralledger.core.impression;

import java.time.Instant;
import java.util.Map;

/**
 * Records a scan or click. The program and advocate come from {@code referralCode}, or are given as
 * {@code programId} (and optionally {@code advocateId}). {@code clientAddressHash} is already hashed: the raw
 * address never reaches the ledger.
 */
public record RecordImpression(String impressionId, String tenantId, String referralCode, String programId,
                               String advocateId, String source, String placement, String landingUrl,
                               String userAgent, String clientAddressHash, Instant occurredAt,
                               Map<String, Object> metadata) {
}
