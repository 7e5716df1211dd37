package dev.referralledger.core.referral;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Records a new referral. Fields arrive as the caller sent them (enumerations as text) and are validated
 * and normalized by the aggregate, so that every failing field is reported at once.
 *
 * <p>The program and advocate come from {@code impressionId}, else from {@code referralCode}, else from
 * {@code programId} and the referrer.</p>
 *
 * <p>{@code receivedAt} is for imports only (channel IMPORT): when the source system received the referral;
 * otherwise the referral is received now.</p>
 */
public record CreateReferral(
        String referralId,
        String tenantId,
        Advocate referrer,
        ReferredPerson referred,
        List<Contact> contacts,
        String agentId,
        String channel,
        String type,
        String notes,
        BigDecimal expectedValue,
        String currency,
        Map<String, Object> metadata,
        String programId,
        String referralCode,
        String impressionId,
        Introduction introduction,
        Instant receivedAt) {

    /** A referral that comes from no program, code or impression. */
    public static CreateReferral direct(String referralId, String tenantId, Advocate referrer, ReferredPerson referred,
                                        String agentId, String channel, String notes) {
        return new CreateReferral(referralId, tenantId, referrer, referred, null, agentId, channel, null, notes, null,
                null, null, null, null, null, null, null);
    }
}
