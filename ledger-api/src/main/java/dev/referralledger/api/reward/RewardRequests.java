package dev.referralledger.api.reward;

import java.math.BigDecimal;

/** Request bodies of the reward endpoints. */
public final class RewardRequests {

    private RewardRequests() {
    }

    /** A reward issued by hand; {@code recipientId} defaults to {@code advocateId}. */
    public record Issue(String referralId, String programId, String advocateId, String recipientId, String side,
                        String type, BigDecimal amount, String currency, Integer holdDays, String reason) {
    }

    /** {@code thankYouChannel}: EMAIL or SMS; left out, EMAIL then SMS, whichever the recipient consented to. */
    public record Sent(String fulfilmentReference, String thankYouChannel) {
    }

    public record Void(String reason) {
    }

    public record Consent(Boolean granted) {
    }
}
