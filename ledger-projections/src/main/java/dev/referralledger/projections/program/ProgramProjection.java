package dev.referralledger.projections.program;

import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.core.person.PersonErased;
import dev.referralledger.core.person.PersonalData;
import dev.referralledger.projections.ProcessingGroups;
import dev.referralledger.core.program.AdvocateEnrolled;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.program.ProgramCreated;
import dev.referralledger.core.program.ProgramEnded;
import dev.referralledger.core.program.ProgramPaused;
import dev.referralledger.core.program.ProgramResumed;
import dev.referralledger.core.program.ProgramStatus;
import dev.referralledger.core.program.ProgramUpdated;
import dev.referralledger.projections.AfterCommit;
import dev.referralledger.projections.AppliedPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.time.Instant;
import java.util.List;

/**
 * Owns {@code program} (one row per program and its current terms) and {@code program_advocate} (one row per
 * enrolled advocate and their referral code). Reads ProgramCreated, ProgramUpdated, ProgramPaused,
 * ProgramResumed, ProgramEnded and AdvocateEnrolled. A program row only moves to a higher event sequence, so
 * an event applied twice changes nothing.
 */
@Component
// PersonErased updates program_advocate by advocate_id (as for referral_pipeline: rare, but a full scan each);
// every other write is by primary key.
@ProjectionTables(value = {"program", "program_advocate"}, erasureIndexes = {"program_advocate_person_idx"})
@ProcessingGroup(ProcessingGroups.DIRECTORY)
public class ProgramProjection {


    private final JdbcTemplate jdbc;
    private final AppliedPositions appliedPositions;

    public ProgramProjection(JdbcTemplate jdbc, AppliedPositions appliedPositions) {
        this.jdbc = jdbc;
        this.appliedPositions = appliedPositions;
    }

    @EventHandler
    void on(ProgramCreated e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO program (program_id, tenant_id, name, slug, campaign_token, status, allowed_channels,
                    allowed_types, invitation_types, attribution_window_days, velocity_limit_per_hour, landing_url,
                    created_at, updated_at, last_event_sequence)
                VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (program_id) DO NOTHING""",
                e.programId(), e.tenantId(), e.name(), e.slug(), e.campaignToken(), array(e.allowedChannels()),
                array(e.allowedTypes()), array(e.invitationTypes().stream().map(InvitationType::name).toList()),
                e.attributionWindowDays(), e.velocityLimitPerHour(), e.landingUrl(), ts(at), ts(at), sequence);
        applied(e.programId(), sequence);
    }

    @EventHandler
    void on(ProgramUpdated e, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE program SET name = ?, allowed_channels = ?, allowed_types = ?, invitation_types = ?,
                    attribution_window_days = ?, velocity_limit_per_hour = ?, landing_url = ?, updated_at = ?,
                    last_event_sequence = ?
                WHERE program_id = ? AND last_event_sequence < ?""",
                e.name(), array(e.allowedChannels()), array(e.allowedTypes()),
                array(e.invitationTypes().stream().map(InvitationType::name).toList()), e.attributionWindowDays(),
                e.velocityLimitPerHour(), e.landingUrl(), ts(at), sequence, e.programId(), sequence);
        applied(e.programId(), sequence);
    }

    @EventHandler
    void on(ProgramPaused e, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(e.programId(), ProgramStatus.PAUSED, sequence, at);
    }

    @EventHandler
    void on(ProgramResumed e, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(e.programId(), ProgramStatus.ACTIVE, sequence, at);
    }

    @EventHandler
    void on(ProgramEnded e, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(e.programId(), ProgramStatus.ENDED, sequence, at);
    }

    @EventHandler
    void on(AdvocateEnrolled e, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO program_advocate (enrollment_id, tenant_id, program_id, advocate_id, referral_code, role,
                    name, email, phone, external_id, enrolled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (enrollment_id) DO NOTHING""",
                e.enrollmentId(), e.tenantId(), e.programId(), e.advocateId(), e.referralCode(), e.role().name(),
                e.name(), e.email(), e.phone(), e.externalId(), ts(at));
        applied(e.enrollmentId(), 0);
    }

    /** The advocate's enrollments keep their codes and roles; the contact details become the marker. */
    @EventHandler
    void on(PersonErased e) {
        jdbc.update("""
                UPDATE program_advocate SET name = ?, email = ?, phone = ?, external_id = ?
                WHERE advocate_id = ? AND tenant_id = ?""",
                PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED,
                e.personId(), e.tenantId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE program_advocate, program");
    }

    private void status(String programId, ProgramStatus status, long sequence, Instant at) {
        jdbc.update("""
                UPDATE program SET status = ?, updated_at = ?, last_event_sequence = ?
                WHERE program_id = ? AND last_event_sequence < ?""", status.name(), ts(at), sequence, programId, sequence);
        applied(programId, sequence);
    }

    private void applied(String programId, long sequence) {
        AfterCommit.run(() -> appliedPositions.applied(programId, sequence));
    }

    private Array array(List<String> values) {
        return jdbc.execute((ConnectionCallback<Array>) c -> c.createArrayOf("text", values.toArray(String[]::new)));
    }

    private static java.sql.Timestamp ts(Instant at) {
        return java.sql.Timestamp.from(at);
    }
}
