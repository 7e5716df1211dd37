package dev.referralledger.projections.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralLost;
import dev.referralledger.core.referral.ReferralQualified;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferralStatus;
import dev.referralledger.core.rules.Money;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Owns {@code referral_pipeline} (one row per referral) and {@code advocate_stats} (per advocate: referrals
 * made and where they stand now). Reads ReferralReceived, ReferralContacted, ReferralQualified,
 * ReferralConverted and ReferralLost.
 *
 * <p>Applying an event twice changes nothing: a row only moves forward to a higher aggregate sequence, and
 * the advocate counters move only when the row did.</p>
 */
@Component
@ProcessingGroup(ReferralPipelineProjection.NAME)
public class ReferralPipelineProjection {

    public static final String NAME = "referral-pipeline";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AppliedPositions appliedPositions;

    public ReferralPipelineProjection(JdbcTemplate jdbc, ObjectMapper json, AppliedPositions appliedPositions) {
        this.jdbc = jdbc;
        this.json = json;
        this.appliedPositions = appliedPositions;
    }

    /** The key that identifies an advocate within a tenant: email first, then phone, then external id. */
    public static String advocateKey(Advocate a) {
        if (a.email() != null) {
            return "email:" + a.email();
        }
        if (a.phone() != null) {
            return "phone:" + a.phone();
        }
        return "external:" + a.externalId();
    }

    @EventHandler
    void on(ReferralReceived e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        long position = position(token);
        Money expected = e.expectedValue();
        int inserted = jdbc.update("""
                        INSERT INTO referral_pipeline (referral_id, tenant_id, status, referral_type, channel, agent_id,
                            advocate_key, referrer_name, referrer_email, referrer_phone, referrer_external_id,
                            referred_first_name, referred_last_name, referred_email, referred_phone, contacts, notes,
                            metadata, expected_value, expected_currency, received_at, updated_at, received_position,
                            last_event_sequence, last_event_position)
                        VALUES (?, ?, 'RECEIVED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (referral_id) DO NOTHING""",
                e.referralId(), e.tenantId(), e.type(), e.channel().name(), e.agentId(),
                advocateKey(e.referrer()), e.referrer().name(), e.referrer().email(), e.referrer().phone(),
                e.referrer().externalId(), e.referred().firstName(), e.referred().lastName(), e.referred().email(),
                e.referred().phone(), toJson(e.contacts() == null ? List.of() : e.contacts()), e.notes(),
                toJson(e.metadata() == null ? Map.of() : e.metadata()),
                expected == null ? null : expected.amount(), expected == null ? null : expected.currency(),
                ts(at), ts(at), position, sequence, position);
        if (inserted == 1) {
            jdbc.update("""
                            INSERT INTO advocate_stats AS s (tenant_id, advocate_key, referrer_name, referrer_email,
                                referrer_phone, total_referrals, received, first_referral_at, last_referral_at)
                            VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?)
                            ON CONFLICT (tenant_id, advocate_key) DO UPDATE SET
                                total_referrals = s.total_referrals + 1,
                                received = s.received + 1,
                                referrer_name = COALESCE(EXCLUDED.referrer_name, s.referrer_name),
                                referrer_email = COALESCE(EXCLUDED.referrer_email, s.referrer_email),
                                referrer_phone = COALESCE(EXCLUDED.referrer_phone, s.referrer_phone),
                                last_referral_at = GREATEST(s.last_referral_at, EXCLUDED.last_referral_at)""",
                    e.tenantId(), advocateKey(e.referrer()), e.referrer().name(), e.referrer().email(),
                    e.referrer().phone(), ts(at), ts(at));
        }
        reportAfterCommit(e.referralId(), sequence);
    }

    @EventHandler
    void on(ReferralContacted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        move(e.referralId(), ReferralStatus.CONTACTED, "contacted_at = ?", List.of(ts(at)), sequence, at, token);
    }

    @EventHandler
    void on(ReferralQualified e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        move(e.referralId(), ReferralStatus.QUALIFIED, "qualified_at = ?", List.of(ts(at)), sequence, at, token);
    }

    @EventHandler
    void on(ReferralConverted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        Money value = e.dealValue();
        move(e.referralId(), ReferralStatus.CONVERTED,
                "converted_at = ?, resulting_deal_id = ?, deal_value = ?, deal_currency = ?, deal_closed_at = ?",
                java.util.Arrays.asList(ts(at), e.resultingDealId(), value == null ? null : value.amount(),
                        value == null ? null : value.currency(), e.closedAt() == null ? null : ts(e.closedAt())),
                sequence, at, token);
    }

    @EventHandler
    void on(ReferralLost e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        move(e.referralId(), ReferralStatus.LOST, "lost_at = ?, lost_reason = ?",
                java.util.Arrays.asList(ts(at), e.reason()), sequence, at, token);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM referral_pipeline");
        jdbc.update("DELETE FROM advocate_stats");
    }

    /**
     * Moves the row to {@code status} unless it already saw this event, and moves the advocate's counters
     * from the old status to the new one in the same transaction.
     */
    private void move(String referralId, ReferralStatus status, String stageColumns, List<Object> stageValues,
                      long sequence, Instant at, TrackingToken token) {
        Object[] args = new Object[stageValues.size() + 6];
        int i = 0;
        args[i++] = referralId;
        args[i++] = sequence;
        args[i++] = status.name();
        for (Object v : stageValues) {
            args[i++] = v;
        }
        args[i++] = ts(at);
        args[i++] = sequence;
        args[i] = position(token);
        List<Map<String, Object>> moved = jdbc.queryForList("""
                WITH before AS (
                    SELECT referral_id, tenant_id, advocate_key, status FROM referral_pipeline
                    WHERE referral_id = ? AND last_event_sequence < ? FOR UPDATE)
                UPDATE referral_pipeline p SET status = ?, %s, updated_at = ?, last_event_sequence = ?,
                    last_event_position = ?
                FROM before WHERE p.referral_id = before.referral_id
                RETURNING before.tenant_id, before.advocate_key, before.status""".formatted(stageColumns), args);
        for (Map<String, Object> row : moved) {
            String from = ((String) row.get("status")).toLowerCase();
            String to = status.name().toLowerCase();
            // column names come from the status enum, never from input
            jdbc.update("UPDATE advocate_stats SET %s = %s - 1, %s = %s + 1 WHERE tenant_id = ? AND advocate_key = ?"
                            .formatted(from, from, to, to),
                    row.get("tenant_id"), row.get("advocate_key"));
        }
        reportAfterCommit(referralId, sequence);
    }

    private void reportAfterCommit(String referralId, long sequence) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> appliedPositions.applied(referralId, sequence));
        } else {
            appliedPositions.applied(referralId, sequence);
        }
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private static java.sql.Timestamp ts(Instant at) {
        return java.sql.Timestamp.from(at);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write projection JSON", e);
        }
    }
}
