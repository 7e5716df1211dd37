package dev.referralledger.core.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Promises a reward: sent by the reward policy saga for a conversion, or by a person (POST /api/v1/rewards).
 *
 * @param side          REFERRER (default), REFERRED or MILESTONE
 * @param holdDays      days HELD before it is READY (the refund window); null for 30
 * @param policyVersion the policy version that produced it; null when issued by hand
 * @param earnedAt      when it was earned (the conversion), which picks the calendar month of the monthly cap;
 *                      null for now
 * @param monthlyCapPerAdvocate  at most this much per advocate, program, side and UTC calendar month (in the
 *                               reward's currency); null for no cap
 * @param lifetimeCapPerAdvocate at most this much per advocate, program and side for all time; null for no cap
 */
public record IssueReward(@TargetAggregateIdentifier String rewardId, String tenantId, String referralId,
                          String programId, String advocateId, String recipientId, String side, String type,
                          BigDecimal amount, String currency, Integer holdDays, Integer policyVersion,
                          Instant earnedAt, BigDecimal monthlyCapPerAdvocate, BigDecimal lifetimeCapPerAdvocate,
                          String reason) {
}
