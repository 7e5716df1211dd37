package dev.referralledger.core.referral;

import dev.referralledger.core.rules.Money;

import java.time.Instant;

/** REFERRAL_CONVERTED: ties the referral to the deal it produced, and that deal's value when known. */
public record ReferralConverted(String referralId, String tenantId, String resultingDealId, Money dealValue,
                                Instant closedAt) {
}
