package dev.referralledger.projections.report;

import java.math.BigDecimal;

/**
 * One group and currency of an attribution report. {@code key} is null for money not attributed to one (e.g. a
 * conversion recorded without a program); {@code currency} is null for conversions recorded without a value.
 * {@code rewardCost} = issued − voided − clawed back.
 */
public record AttributionRow(String key, String currency, BigDecimal revenue, BigDecimal reversedRevenue,
                             BigDecimal netRevenue, long conversions, long reversals, BigDecimal rewardsIssued,
                             BigDecimal rewardsVoided, BigDecimal rewardsClawedBack, BigDecimal rewardCost,
                             BigDecimal rewardsSent) {
}
