package dev.referralledger.projections.reward;

import dev.referralledger.projections.ProjectionTables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.program.RewardPolicyChanged;
import dev.referralledger.core.reward.ReferrerThanked;
import dev.referralledger.core.reward.RewardClawbackRecorded;
import dev.referralledger.core.reward.RewardIssued;
import dev.referralledger.core.reward.RewardReady;
import dev.referralledger.core.reward.RewardSent;
import dev.referralledger.core.reward.RewardStatus;
import dev.referralledger.core.reward.RewardVoided;
import dev.referralledger.core.reward.ThankYouSkipped;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Owns {@code reward_queue} (one row per reward) and {@code reward_policy} (each program's current policy).
 * Every write is guarded by the aggregate's event sequence, so a redelivered event changes nothing; after the
 * transaction commits, writers waiting to read their own write are told.
 */
@Component
@ProjectionTables({"reward_queue", "reward_policy"})
@ProcessingGroup(RewardQueueProjection.NAME)
public class RewardQueueProjection {

    public static final String NAME = "rewards";
    /** Prefix of a program's key in {@link AppliedPositions}, apart from the program projection's own. */
    static final String POLICY_KEY = "reward-policy:";

    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;
    private final ObjectMapper json = new ObjectMapper();

    public RewardQueueProjection(JdbcTemplate jdbc, AppliedPositions appliedPositions) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
    }

    @EventHandler
    void on(RewardIssued e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO reward_queue (reward_id, tenant_id, referral_id, program_id, advocate_id, recipient_id, side,
                    type, status, amount, currency, policy_version, reason, held_until, issued_at, updated_at,
                    last_event_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (reward_id) DO NOTHING""",
                e.rewardId(), e.tenantId(), e.referralId(), e.programId(), e.advocateId(), e.recipientId(),
                e.side().name(), e.type().name(), RewardStatus.HELD.name(), e.amount().amount(), e.amount().currency(),
                e.policyVersion(), e.reason(), sql(e.heldUntil()), sql(at), sql(at), sequence);
        applied(e.rewardId(), sequence);
    }

    @EventHandler
    void on(RewardReady e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "status = 'READY', ready_at = ?", sql(at));
    }

    @EventHandler
    void on(RewardSent e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "status = 'SENT', sent_at = ?, fulfilment_reference = ?",
                sql(e.sentAt() == null ? at : e.sentAt()), e.fulfilmentReference());
    }

    @EventHandler
    void on(RewardVoided e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "status = 'VOIDED', voided_at = ?, void_reason = ?", sql(at), e.reason());
    }

    @EventHandler
    void on(RewardClawbackRecorded e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "clawback_amount = ?, clawback_reason = ?, clawed_back_at = ?",
                e.amount() == null ? null : e.amount().amount(), e.reason(), sql(at));
    }

    @EventHandler
    void on(ReferrerThanked e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "thank_you = 'THANKED', thank_you_channel = ?", e.channel());
    }

    @EventHandler
    void on(ThankYouSkipped e, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(e.rewardId(), sequence, at, "thank_you = ?", "SKIPPED_" + e.reason());
    }

    @EventHandler
    void on(RewardPolicyChanged e, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("referrer", e.referrer());
        policy.put("referred", e.referred());
        policy.put("milestones", e.milestones());
        jdbc.update("""
                INSERT INTO reward_policy AS p (program_id, tenant_id, version, policy, changed_at, last_event_sequence)
                VALUES (?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (program_id) DO UPDATE SET version = EXCLUDED.version, policy = EXCLUDED.policy,
                    changed_at = EXCLUDED.changed_at, last_event_sequence = EXCLUDED.last_event_sequence
                WHERE p.last_event_sequence < EXCLUDED.last_event_sequence""",
                e.programId(), e.tenantId(), e.version(), json.writeValueAsString(policy), sql(at), sequence);
        applied(POLICY_KEY + e.programId(), sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM reward_queue");
        jdbc.update("DELETE FROM reward_policy");
    }

    private void update(String rewardId, long sequence, Instant at, String set, Object... values) {
        Object[] args = new Object[values.length + 4];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = sql(at);
        args[values.length + 1] = sequence;
        args[values.length + 2] = rewardId;
        args[values.length + 3] = sequence;
        jdbc.update("UPDATE reward_queue SET " + set + ", updated_at = ?, last_event_sequence = ?"
                + " WHERE reward_id = ? AND last_event_sequence < ?", args);
        applied(rewardId, sequence);
    }

    /** Reported only once the row is committed: a waiter that re-reads the table must find it. */
    private void applied(String key, long sequence) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> appliedPositions.applied(key, sequence));
        } else {
            appliedPositions.applied(key, sequence);
        }
    }

    private static java.sql.Timestamp sql(Instant at) {
        return at == null ? null : java.sql.Timestamp.from(at);
    }
}
