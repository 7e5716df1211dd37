package dev.referralledger.core.impression;

import java.time.Instant;
import java.util.Map;

/** IMPRESSION_RECORDED: someone saw an advocate's code (scanned a QR poster, clicked a share link). */
public record ImpressionRecorded(String impressionId, String tenantId, String programId, String advocateId,
                                 String referralCode, ImpressionSource source, String placement, String landingUrl,
                                 String userAgent, String clientAddressHash, Instant occurredAt,
                                 Map<String, Object> metadata) {
}
