package dev.referralledger.projections.report;

import java.math.BigDecimal;

/**
 * One group of a funnel. {@code impressions} is null when grouped by channel (an impression has no channel).
 * Each rate divides a stage by the one before it ({@code referralRate}: referrals per impression, which can exceed
 * 1 when referrals arrive without a scan); {@code conversionRate} is converted per referral. A rate is null when
 * its denominator is zero.
 */
public record FunnelRow(String key, Long impressions, long referrals, long contacted, long qualified, long converted,
                        BigDecimal referralRate, BigDecimal contactRate, BigDecimal qualificationRate,
                        BigDecimal closeRate, BigDecimal conversionRate) {
}
