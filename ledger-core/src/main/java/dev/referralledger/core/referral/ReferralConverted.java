package dev.referralledger.core.referral;

import dev.referralledger.core.rules.Money;

import java.time.Instant;

/**
 * REFERRAL_CONVERTED: ties the referral to the deal it produced, and that deal's value when known. It repeats
 * where the referral came from (program, advocate, referred person, channel, agent) so that attribution and
 * rewards need no other event; these are null on conversions recorded before they were added.
 */
public record ReferralConverted(String referralId, String tenantId, String resultingDealId, Money dealValue,
                                Instant closedAt, String programId, String advocateId, String referredPersonId,
                                Channel channel, String agentId) {
}
