package dev.referralledger.projections.report;

import dev.referralledger.projections.BatchWrites;
import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.reward.RewardClawbackRecorded;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardSent;
import dev.referralledger.core.reward.RewardVoided;
import dev.referralledger.projections.report.AttributionBatch.Entry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Owns {@code attribution_entry}: one row per money event, each on the UTC day it happened, with the advocate,
 * program, channel and agent it is attributed to. Reads ReferralConverted, ConversionReversed, RewardIssued,
 * RewardVoided, RewardSent and RewardClawbackRecorded.
 *
 * <p>A row is keyed by its event's aggregate id and sequence number, as in the event store, so an event applied
 * twice is stored once. Totals are sums over the rows (SQL), never counters that a replay could double.</p>
 *
 * <p>The entries of one processor batch are written together just before its transaction commits
 * ({@link AttributionBatch}). A reward's row takes its channel and agent from its conversion's row, and a reward's
 * later rows take their keys from its issue's row: the processor has one segment, so those were applied
 * before, in this batch or an earlier one.</p>
 */
@Component
// AttributionBatch reads earlier rows at every batch it writes: a reward's conversion (by referral_id) and a later
// reward event's issue (by reward_id). Without these partial indexes every batch scans the growing table.
@ProjectionTables(value = {"attribution_entry"},
        lookupIndexes = {"attribution_entry_conversion_idx", "attribution_entry_reward_idx"})
@ProcessingGroup(AttributionProjection.NAME)
public class AttributionProjection {

    public static final String NAME = "attribution";

    private static final String BATCH = AttributionProjection.class.getName() + ".batch";

    private final JdbcTemplate jdbc;

    public AttributionProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Revenue lands on the day the deal closed (when given), else on the day it was recorded. */
    @EventHandler
    void on(ReferralConverted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Entry entry = new Entry(e.referralId(), sequence, "CONVERSION", e.closedAt() != null ? e.closedAt() : at,
                position(token), at);
        referral(entry, e.tenantId(), e.referralId(), e.advocateId(), e.programId(), e.channel(), e.agentId());
        if (e.dealValue() != null) {
            entry.currency = e.dealValue().currency();
            entry.revenue = e.dealValue().amount();
        }
        entry.conversions = 1;
        inBatch(entry);
    }

    /** Reversed revenue lands on the day of the reversal, not of the conversion: past days never change. */
    @EventHandler
    void on(ConversionReversed e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Entry entry = new Entry(e.referralId(), sequence, "REVERSAL", e.reversedAt() != null ? e.reversedAt() : at,
                position(token), at);
        referral(entry, e.tenantId(), e.referralId(), e.advocateId(), e.programId(), e.channel(), e.agentId());
        if (e.amount() != null) {
            entry.currency = e.amount().currency();
            entry.reversed = e.amount().amount();
        }
        entry.reversals = 1;
        inBatch(entry);
    }

    /** The reward's channel and agent are those of the conversion it rewards (none for a reward without one). */
    @EventHandler
    void on(RewardIssued e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Entry entry = new Entry(e.rewardId(), sequence, "REWARD_ISSUED", at, position(token), at);
        entry.tenantId = e.tenantId();
        entry.referralId = e.referralId();
        entry.rewardId = e.rewardId();
        entry.advocateId = e.advocateId();
        entry.programId = e.programId();
        entry.side = e.side() == null ? null : e.side().name();
        if (e.amount() != null) {
            entry.currency = e.amount().currency();
            entry.issued = e.amount().amount();
        }
        inBatch(entry);
    }

    @EventHandler
    void on(RewardVoided e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(follow(e.rewardId(), sequence, "REWARD_VOIDED", at, at, null, token));
    }

    @EventHandler
    void on(RewardSent e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(follow(e.rewardId(), sequence, "REWARD_SENT", e.sentAt() != null ? e.sentAt() : at, at, null, token));
    }

    /** A clawback is money owed back to the ledger's owner: it lowers the reward cost on the day it is recorded. */
    @EventHandler
    void on(RewardClawbackRecorded e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(follow(e.rewardId(), sequence, "REWARD_CLAWBACK", at, at,
                e.amount() == null ? null : e.amount().amount(), token));
    }

    /** A later event of a reward: it takes the keys (and, unless it names one, the amount) of the reward's issue. */
    private static Entry follow(String rewardId, long sequence, String type, Instant at, Instant recordedAt,
                                BigDecimal amount, TrackingToken token) {
        Entry entry = new Entry(rewardId, sequence, type, at, position(token), recordedAt);
        entry.rewardId = rewardId;
        entry.followAmount = amount;
        return entry;
    }

    private static void referral(Entry entry, String tenantId, String referralId, String advocateId, String programId,
                                 Channel channel, String agentId) {
        entry.tenantId = tenantId;
        entry.referralId = referralId;
        entry.advocateId = advocateId;
        entry.programId = programId;
        entry.channel = channel == null ? null : channel.name();
        entry.agentId = agentId;
    }

    /** Adds the entry to the batch of the current unit of work (written before it commits), or writes it at once. */
    private void inBatch(Entry entry) {
        if (!CurrentUnitOfWork.isStarted()) {
            AttributionBatch batch = new AttributionBatch();
            batch.add(entry);
            batch.flush(jdbc);
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(BATCH, key -> {
            AttributionBatch created = new AttributionBatch();
            BatchWrites.register(unitOfWork, () -> created.flush(jdbc), false);
            return created;
        }).add(entry);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE attribution_entry");
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
