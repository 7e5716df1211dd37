package dev.referralledger.projections.referral;

import java.time.Instant;

/** The caller's referral as it was at {@code asOf}, rebuilt from the events recorded at or before it. */
public record FindReferralAsOf(String tenantId, String referralId, Instant asOf) {
}
