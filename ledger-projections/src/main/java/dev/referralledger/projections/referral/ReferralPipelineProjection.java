package dev.referralledger.projections.referral;

import dev.referralledger.projections.BatchWrites;
import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.core.person.ErasedValues;
import dev.referralledger.core.person.PersonErased;
import dev.referralledger.core.person.PersonalData;
import dev.referralledger.core.referral.Introduction;
import dev.referralledger.projections.BeforeCommit;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ReferralContacted;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReferralLost;
import dev.referralledger.core.referral.ReferralQualified;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralApproved;
import dev.referralledger.core.referral.ReferralRejected;
import dev.referralledger.core.referral.ReferralStatus;
import dev.referralledger.core.referral.ReviewFlag;
import dev.referralledger.projections.AppliedPositions;
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

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Owns {@code referral_pipeline} (one row per referral) and {@code advocate_stats} (per advocate: referrals
 * made and where they stand now). Reads ReferralReceived, ReferralContacted, ReferralQualified,
 * ReferralConverted, ReferralLost, ReferralApproved, ReferralRejected, ConversionReversed and PersonErased.
 *
 * <p>The events of one processor batch are collected and written together just before the batch's
 * transaction commits ({@link PipelineBatch}); after the commit, writers waiting to read their own write
 * are told.</p>
 */
@Component
// PersonErased updates referral_pipeline by advocate_id and by referred_person_id. Erasures are rare, but each one
// without these indexes scans the whole table, so a rebuild of a ledger with many erasures would grow with
// erasures x referrals; a ledger that never erased anyone is rebuilt without them (most of a copied row's cost).
// Every other lookup (PipelineBatch, advocate_stats) is by primary key.
@ProjectionTables(value = {"referral_pipeline", "advocate_stats"},
        erasureIndexes = {"referral_pipeline_advocate_person_idx", "referral_pipeline_referred_person_idx"})
@ProcessingGroup(ReferralPipelineProjection.NAME)
public class ReferralPipelineProjection {

    public static final String NAME = "referral-pipeline";
    private static final String BATCH = ReferralPipelineProjection.class.getName() + ".batch";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AppliedPositions appliedPositions;

    public ReferralPipelineProjection(JdbcTemplate jdbc, ObjectMapper json, AppliedPositions appliedPositions) {
        this.jdbc = jdbc;
        this.json = json;
        this.appliedPositions = appliedPositions;
    }

    /**
     * The key that identifies an advocate within a tenant: their person id; for referrals recorded before people
     * were matched, email first, then phone, then external id.
     */
    public static String advocateKey(ReferralReceived e) {
        if (e.advocateId() != null) {
            return "person:" + e.advocateId();
        }
        Advocate a = e.referrer();
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
        inBatch(batch -> batch.add(e, sequence, position(token), at));
    }

    @EventHandler
    void on(ReferralContacted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                ReferralStatus.CONTACTED, null, null, null, null, null, null)));
    }

    @EventHandler
    void on(ReferralQualified e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                ReferralStatus.QUALIFIED, null, null, null, null, null, null)));
    }

    @EventHandler
    void on(ReferralConverted e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                ReferralStatus.CONVERTED, e.resultingDealId(), e.dealValue(), e.closedAt(), null, null, null)));
    }

    @EventHandler
    void on(ReferralLost e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                ReferralStatus.LOST, null, null, null, e.reason(), null, null)));
    }

    @EventHandler
    void on(ReferralApproved e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                null, null, null, null, null, ReviewFlag.APPROVED, null)));
    }

    @EventHandler
    void on(ReferralRejected e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                ReferralStatus.LOST, null, null, null, e.note() == null ? "Rejected in review" : e.note(),
                ReviewFlag.REJECTED, null)));
    }

    @EventHandler
    void on(ConversionReversed e, @SequenceNumber long sequence, @Timestamp Instant at, TrackingToken token) {
        inBatch(batch -> batch.add(new PipelineBatch.Move(e.referralId(), sequence, position(token), at,
                null, null, null, null, null, null, new PipelineBatch.Reversal(
                e.amount() == null ? null : e.amount().amount(), e.kind().name(), e.full()))));
    }

    /**
     * The person's details become the marker wherever they are the referrer (with the introduction they made)
     * or the referred person (with the contacts and notes about them). Statuses, values and counts stay.
     * Runs after the batch's own writes, which may still hold the person's referrals.
     */
    @EventHandler
    void on(PersonErased e) {
        String erased = PersonalData.ERASED;
        BeforeCommit.run(() -> {
            String introduction = toJson(ErasedValues.of(Introduction.class));
            jdbc.update("""
                    UPDATE referral_pipeline SET referrer_name = ?, referrer_email = ?, referrer_phone = ?,
                        referrer_external_id = ?,
                        introduction = CASE WHEN introduction IS NULL THEN NULL ELSE ?::jsonb END
                    WHERE advocate_id = ? AND tenant_id = ?""",
                    erased, erased, erased, erased, introduction, e.personId(), e.tenantId());
            jdbc.update("""
                    UPDATE referral_pipeline SET referred_first_name = ?, referred_last_name = ?, referred_email = ?,
                        referred_phone = ?, contacts = '[]', notes = ?
                    WHERE referred_person_id = ? AND tenant_id = ?""",
                    erased, erased, erased, erased, erased, e.personId(), e.tenantId());
            jdbc.update("""
                    UPDATE advocate_stats SET referrer_name = ?, referrer_email = ?, referrer_phone = ?
                    WHERE tenant_id = ? AND advocate_key = ?""",
                    erased, erased, erased, e.tenantId(), "person:" + e.personId());
        });
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE referral_pipeline, advocate_stats");
    }

    /**
     * Adds a change to the batch of the current unit of work (flushed before it commits), or applies it at
     * once when there is none.
     */
    private void inBatch(Consumer<PipelineBatch> change) {
        if (!CurrentUnitOfWork.isStarted()) {
            PipelineBatch batch = new PipelineBatch();
            change.accept(batch);
            report(batch.flush(jdbc, json));
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        PipelineBatch batch = unitOfWork.getOrComputeResource(BATCH, key -> {
            PipelineBatch created = new PipelineBatch();
            // the rows may be written early (each referral is one segment's); the counters wait for the commit
            BatchWrites.registerEarly(unitOfWork, () -> created.writeSettledRows(jdbc, json), true);
            unitOfWork.onPrepareCommit(u -> {
                Map<String, Long> applied = created.flush(jdbc, json);
                u.afterCommit(done -> report(applied));
            });
            return created;
        });
        change.accept(batch);
    }

    private void report(Map<String, Long> applied) {
        applied.forEach(appliedPositions::applied);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
