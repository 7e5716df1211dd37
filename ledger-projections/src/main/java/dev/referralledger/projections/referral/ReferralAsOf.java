package dev.referralledger.projections.referral;

import java.time.Instant;

/**
 * The answer to {@link FindReferralAsOf}. {@code referral} is null when the referral was received after
 * {@code asOf}; then {@code receivedAt} says when. The whole answer is null for a referral the tenant does not have.
 */
public record ReferralAsOf(ReferralView referral, Instant receivedAt) {
}
