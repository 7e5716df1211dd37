package dev.referralledger.core.referral;

import dev.referralledger.core.person.PersonalData;
import dev.referralledger.core.rules.Money;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * REFERRAL_RECEIVED: a referral entered the ledger with status RECEIVED. Values are validated and normalized.
 *
 * @param advocateId       the person credited with the referral (the referrer, or the owner of the code)
 * @param referredPersonId the referred person, matched by email or phone; null when neither was given
 * <p>The referrer and the introduction are the advocate's personal data; the referred person, the contacts and
 * the notes the referred person's (or the referral's, when no person was matched).</p>
 *
 * @param receivedAt       when the referral was received: when it was recorded, or for an import the time the
 *                         source system received it (revision 2; revision 1 events are upcast with the time
 *                         they were stored, see {@link ReferralReceivedUpcaster})
 * @param flag             REVIEW when the referral is held for a person's decision, else null
 */
@Revision("2")
public record ReferralReceived(
        String referralId,
        String tenantId,
        @PersonalData(subject = "advocateId", fallback = "referralId") Advocate referrer,
        @PersonalData(subject = "referredPersonId", fallback = "referralId") ReferredPerson referred,
        @PersonalData(subject = "referredPersonId", fallback = "referralId") List<Contact> contacts,
        String agentId,
        Channel channel,
        String type,
        @PersonalData(subject = "referredPersonId", fallback = "referralId") String notes,
        Money expectedValue,
        Map<String, Object> metadata,
        String programId,
        String advocateId,
        String referredPersonId,
        String referralCode,
        String impressionId,
        String invitationId,
        ReviewFlag flag,
        @PersonalData(subject = "advocateId", fallback = "referralId") Introduction introduction,
        Instant receivedAt) {
}
