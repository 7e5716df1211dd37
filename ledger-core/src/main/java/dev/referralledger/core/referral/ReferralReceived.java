package dev.referralledger.core.referral;

import dev.referralledger.core.rules.Money;

import java.util.List;
import java.util.Map;

/** REFERRAL_RECEIVED: a referral entered the ledger with status RECEIVED. Values are validated and normalized. */
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
        Map<String, Object> metadata) {
}
