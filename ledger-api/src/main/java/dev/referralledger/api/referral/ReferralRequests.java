package dev.referralledger.api.referral;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Contact;
import dev.referralledger.core.referral.Introduction;
import dev.referralledger.core.referral.ReferredPerson;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the referral endpoints. Unknown fields are refused (400 UNKNOWN_FIELD). */
final class ReferralRequests {

    private ReferralRequests() {
    }

    /**
     * @param idempotencyKey the same as the {@code Idempotency-Key} header, for callers that cannot set headers
     */
    record Create(Advocate referrer, ReferredPerson referred, List<Contact> contacts, String agentId, String channel,
                  String type, String notes, BigDecimal expectedValue, String currency, Map<String, Object> metadata,
                  String idempotencyKey, String programId, String referralCode, String impressionId,
                  Introduction introduction, Instant receivedAt) {
    }

    record Note(String note) {
    }

    record Convert(String resultingDealId, BigDecimal dealValue, String currency, Instant closedAt) {
    }

    record Lose(String reason) {
    }

    record Review(String decision, String note) {
    }

    record Reverse(String kind, BigDecimal amount, String currency, String reason, Instant reversedAt) {
    }
}
