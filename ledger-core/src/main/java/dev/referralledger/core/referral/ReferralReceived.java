package dev.referralledger.core.referral;

import dev.referralledger.core.rules.Money;

import java.util.List;
import java.util.Map;

/**
 * REFERRAL_RECEIVED: a referral entered the ledger with status RECEIVED. Values are validated and normalized.
 *
 * @param advocateId       the person credited with the referral (the referrer, or the owner of the code)
 * @param referredPersonId the referred person, matched by email or phone; null when neither was given
 * @param flag             REVIEW when the referral is held for a person's decision, else null
 */
public record ReferralReceived(
        String referralId,
        String tenantId,
        Advocate referrer,
        ReferredPerson referred,
        List<Contact> contacts,
        String agentId,
        Channel channel,
        String type,
        String notes,
        Money expectedValue,
        Map<String, Object> metadata,
        String programId,
        String advocateId,
        String referredPersonId,
        String referralCode,
        String impressionId,
        String invitationId,
        ReviewFlag flag,
        Introduction introduction) {
}
