package dev.referralledger.projections.report;

import dev.referralledger.core.rules.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The answer to {@link WhatIfReport}: per advocate and currency, and in total per currency, what happened
 * ({@code actual}), what would have ({@code whatIf}) and {@code difference} = whatIf − actual; and the conversions
 * whose credit moved to another referral.
 */
public record WhatIfResult(Instant from, Instant to, String programId, String attribution, boolean rewardPolicy,
                           long conversions, List<AdvocateRow> advocates, List<TotalRow> totals,
                           List<MovedConversion> moved) {

    /** Conversions and revenue count in the deal's currency (null: no deal value), rewards in theirs. */
    public record Figures(long conversions, BigDecimal revenue, BigDecimal rewards) {
    }

    public record AdvocateRow(String advocateId, String currency, Figures actual, Figures whatIf, Figures difference) {
    }

    public record TotalRow(String currency, Figures actual, Figures whatIf, Figures difference) {
    }

    /** A conversion credited to another referral (and so, usually, to another advocate) than in the ledger. */
    public record MovedConversion(String referralId, Instant convertedAt, Money dealValue, String actualAdvocateId,
                                  String actualProgramId, String whatIfReferralId, String whatIfAdvocateId,
                                  String whatIfProgramId) {
    }
}
