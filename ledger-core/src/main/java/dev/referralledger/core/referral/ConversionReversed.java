package dev.referralledger.core.referral;

import dev.referralledger.core.rules.Money;

import java.time.Instant;

/**
 * CONVERSION_REVERSED: some or all of a converted deal's revenue went away. {@code amount} is this reversal's
 * share, {@code remaining} what is left of the deal's value after it (zero when {@code full}); without a deal
 * value, a reversal is always full and both amounts are null.
 */
public record ConversionReversed(String referralId, String tenantId, String resultingDealId, ReversalKind kind,
                                 Money amount, Money remaining, boolean full, String reason, Instant reversedAt,
                                 String programId, String advocateId, Channel channel, String agentId) {
}
