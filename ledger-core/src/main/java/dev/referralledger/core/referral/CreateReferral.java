package dev.referralledger.core.referral;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Records a new referral. Fields arrive as the caller sent them (enumerations as text) and are validated
 * and normalized by the aggregate, so that every failing field is reported at once.
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
        Map<String, Object> metadata) {
}
