package dev.referralledger.projections.referral;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Contact;
import dev.referralledger.core.referral.Introduction;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.Money;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A referral as the pipeline projection knows it; the API answers with this shape. {@code flag} is REVIEW
 * while it waits for a person's decision, then APPROVED or REJECTED; null when it never needed one.
 */
public record ReferralView(
        String id,
        String status,
        String type,
        String channel,
        String agentId,
        Advocate referrer,
        ReferredPerson referred,
        List<Contact> contacts,
        String notes,
        Money expectedValue,
        String resultingDealId,
        Money dealValue,
        Instant dealClosedAt,
        String lostReason,
        Map<String, Object> metadata,
        Instant createdAt,
        Instant contactedAt,
        Instant qualifiedAt,
        Instant convertedAt,
        Instant lostAt,
        Instant updatedAt,
        long version,
        String programId,
        String advocateId,
        String referredPersonId,
        String referralCode,
        String impressionId,
        String invitationId,
        String flag,
        Introduction introduction,
        Money reversedValue,
        String reversalKind,
        Instant reversedAt,
        boolean fullyReversed) {
}
