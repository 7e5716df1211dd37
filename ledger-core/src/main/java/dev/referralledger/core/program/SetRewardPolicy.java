package dev.referralledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.util.List;

/**
 * Replaces the program's reward policy; a change that differs from the current policy becomes its next version
 * and applies to conversions recorded after it.
 *
 * @param referred   the referred person's reward, or null for a one-sided program
 * @param milestones extra rewards for the advocate's Nth conversion in the program; null for none
 */
public record SetRewardPolicy(@TargetAggregateIdentifier String programId, String tenantId, Rule referrer, Rule referred,
                              List<Milestone> milestones) {

    /** One reward as sent: either {@code fixedAmount} or {@code percentage} (of the deal value), never both. */
    public record Rule(String type, BigDecimal fixedAmount, BigDecimal percentage, String currency, Integer holdDays,
                       BigDecimal monthlyCapPerAdvocate, BigDecimal lifetimeCapPerAdvocate) {
    }

    public record Milestone(Integer conversions, Rule reward) {
    }
}
