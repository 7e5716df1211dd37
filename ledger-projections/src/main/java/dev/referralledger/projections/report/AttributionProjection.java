package dev.referralledger.projections.report;

import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.reward.RewardClawbackRecorded;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardSent;
import dev.referralledger.core.reward.RewardVoided;
import dev.referralledger.core.rules.Money;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Owns {@code attribution_entry}: one row per money event, each on the UTC day it happened, with the advocate,
 * program, channel and agent it is attributed to. Reads ReferralConverted, ConversionReversed, RewardIssued,
 * RewardVoided, RewardSent and RewardClawbackRecorded.
 *
 * <p>A row is keyed by its event's aggregate id and sequence number, as in the event store, so an event applied
 * twice is stored once. Totals are sums over the rows (SQL), never counters that a replay could double.</p>
 *
 * <p>Rows are written as their events come, not batched like the pipeline: money events are a small share of
 * the stream, and a reward's later events read its issue (and an issue its conversion) written earlier in the
 * same transaction. The processor has one segment, so a conversion is always applied before its rewards.</p>
 */
@Component
@ProcessingGroup(AttributionProjection.NAME)
public class AttributionProjection {

    public static final String NAME = "attribution";

    private static final String COLUMNS = """
            source_id, source_sequence, entry_type, tenant_id, day, occurred_at, currency, advocate_id, program_id,
            channel, agent_id, referral_id, reward_id, reward_side, revenue, reversed_revenue, conversions, reversals,
            reward_issued, reward_voided, reward_clawed_back, reward_sent, global_position""";

    private final JdbcTemplate jdbc;

    public AttributionProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Revenue lands on the day the deal closed (when given), else on the day it was recorded. */
    @EventHandler
    void on(ReferralConverted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Instant when = e.closedAt() != null ? e.closedAt() : at;
        Money value = e.dealValue();
        jdbc.update("INSERT INTO attribution_entry (" + COLUMNS + ") VALUES "
                        + "(?, ?, 'CONVERSION', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, 0, 1, 0, 0, 0, 0, 0, ?) "
                        + "ON CONFLICT (source_id, source_sequence) DO NOTHING",
                e.referralId(), sequence, e.tenantId(), day(when), ts(when), value == null ? null : value.currency(),
                e.advocateId(), e.programId(), e.channel() == null ? null : e.channel().name(), e.agentId(),
                e.referralId(), value == null ? BigDecimal.ZERO : value.amount(), position(token));
    }

    /** Reversed revenue lands on the day of the reversal, not of the conversion: past days never change. */
    @EventHandler
    void on(ConversionReversed e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Instant when = e.reversedAt() != null ? e.reversedAt() : at;
        Money amount = e.amount();
        jdbc.update("INSERT INTO attribution_entry (" + COLUMNS + ") VALUES "
                        + "(?, ?, 'REVERSAL', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?, 0, 1, 0, 0, 0, 0, ?) "
                        + "ON CONFLICT (source_id, source_sequence) DO NOTHING",
                e.referralId(), sequence, e.tenantId(), day(when), ts(when), amount == null ? null : amount.currency(),
                e.advocateId(), e.programId(), e.channel() == null ? null : e.channel().name(), e.agentId(),
                e.referralId(), amount == null ? BigDecimal.ZERO : amount.amount(), position(token));
    }

    /** The reward's channel and agent are those of the conversion it rewards (none for a reward without one). */
    @EventHandler
    void on(RewardIssued e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Money amount = e.amount();
        jdbc.update("INSERT INTO attribution_entry (" + COLUMNS + ") "
                        + "SELECT ?, ?, 'REWARD_ISSUED', ?, CAST(? AS date), CAST(? AS timestamptz), "
                        + "CAST(? AS char(3)), ?, ?, c.channel, c.agent_id, ?, ?, ?, 0, 0, 0, 0, CAST(? AS numeric), "
                        + "0, 0, 0, ? FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT channel, agent_id "
                        + "FROM attribution_entry WHERE entry_type = 'CONVERSION' AND referral_id = ? LIMIT 1) c ON true "
                        + "ON CONFLICT (source_id, source_sequence) DO NOTHING",
                e.rewardId(), sequence, e.tenantId(), day(at), ts(at), amount == null ? null : amount.currency(),
                e.advocateId(), e.programId(), e.referralId(), e.rewardId(),
                e.side() == null ? null : e.side().name(), amount == null ? BigDecimal.ZERO : amount.amount(),
                position(token), e.referralId());
    }

    @EventHandler
    void on(RewardVoided e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        followIssue(e.rewardId(), sequence, "REWARD_VOIDED", "reward_voided", at, null, token);
    }

    @EventHandler
    void on(RewardSent e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        followIssue(e.rewardId(), sequence, "REWARD_SENT", "reward_sent", e.sentAt() != null ? e.sentAt() : at, null,
                token);
    }

    /** A clawback is money owed back to the ledger's owner: it lowers the reward cost on the day it is recorded. */
    @EventHandler
    void on(RewardClawbackRecorded e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        followIssue(e.rewardId(), sequence, "REWARD_CLAWBACK", "reward_clawed_back", at,
                e.amount() == null ? null : e.amount().amount(), token);
    }

    /**
     * A later event of a reward: a row with the keys of the reward's issue and, in {@code column}, the issued
     * amount (or {@code amount} when the event names one).
     */
    private void followIssue(String rewardId, long sequence, String type, String column, Instant when,
                             BigDecimal amount, TrackingToken token) {
        // the other amounts and counts take their default, zero; column is one of three constants
        jdbc.update("INSERT INTO attribution_entry (source_id, source_sequence, entry_type, tenant_id, day, "
                        + "occurred_at, currency, advocate_id, program_id, channel, agent_id, referral_id, reward_id, "
                        + "reward_side, global_position, " + column + ") "
                        + "SELECT ?, ?, ?, tenant_id, CAST(? AS date), CAST(? AS timestamptz), currency, advocate_id, "
                        + "program_id, channel, agent_id, referral_id, reward_id, reward_side, ?, "
                        + "COALESCE(CAST(? AS numeric), reward_issued) "
                        + "FROM attribution_entry WHERE reward_id = ? AND entry_type = 'REWARD_ISSUED' "
                        + "ON CONFLICT (source_id, source_sequence) DO NOTHING",
                rewardId, sequence, type, day(when), ts(when), position(token), amount, rewardId);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE attribution_entry");
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static java.sql.Timestamp ts(Instant at) {
        return java.sql.Timestamp.from(at);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
