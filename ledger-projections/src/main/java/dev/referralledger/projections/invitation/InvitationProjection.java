package dev.referralledger.projections.invitation;

import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.core.person.PersonErased;
import dev.referralledger.core.person.PersonalData;
import dev.referralledger.projections.ProcessingGroups;
import dev.referralledger.core.invitation.InvitationsSent;
import dev.referralledger.core.referral.ReferralReceived;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Owns {@code invitation}: one row per invitee, INVITED, then ACCEPTED with the referral that named the
 * invitation. Reads InvitationsSent and ReferralReceived.
 *
 * <p>Its processor has one segment, so events arrive in the order they were stored: an invitation's row
 * always exists before a referral can point to it (the referral found it through a lookup committed with
 * the invitation). Applying an event twice changes nothing.</p>
 */
@Component
@ProjectionTables({"invitation"})
@ProcessingGroup(ProcessingGroups.DIRECTORY)
public class InvitationProjection {


    private final JdbcTemplate jdbc;

    public InvitationProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(InvitationsSent e, @Timestamp Instant at, @MessageIdentifier String eventId, TrackingToken token) {
        List<Object[]> rows = e.invitations().stream().map(i -> new Object[]{
                i.invitationId(), e.tenantId(), e.batchId(), e.programId(), e.advocateId(), e.referralCode(),
                i.type().name(), i.identifier(), i.name(), java.sql.Timestamp.from(i.invitedAt()), java.sql.Timestamp.from(at),
                eventId, position(token)}).toList();
        jdbc.batchUpdate("""
                INSERT INTO invitation (invitation_id, tenant_id, batch_id, program_id, advocate_id, referral_code,
                    type, identifier, name, invited_at, recorded_at, status, global_position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'INVITED',
                    -- the event's own position: a processor's token is ahead of it when it commits late
                    COALESCE((SELECT d.global_index FROM domain_event_entry d WHERE d.event_identifier = ?), ?))
                ON CONFLICT (invitation_id) DO NOTHING""", rows);
    }

    /** Only a referral that names an invitation matters here; the first one to arrive keeps it. */
    @EventHandler
    void on(ReferralReceived e, @Timestamp Instant at) {
        if (e.invitationId() == null) {
            return;
        }
        jdbc.update("""
                UPDATE invitation SET status = 'ACCEPTED', referral_id = ?, accepted_at = ?
                WHERE invitation_id = ? AND tenant_id = ? AND referral_id IS NULL""",
                e.referralId(), java.sql.Timestamp.from(at), e.invitationId(), e.tenantId());
    }

    /** Invitations sent to an erased person keep their status; who was invited becomes the marker. */
    @EventHandler
    void on(PersonErased e) {
        if (e.invitationIds() == null || e.invitationIds().isEmpty()) {
            return;
        }
        jdbc.update("UPDATE invitation SET identifier = ?, name = ? WHERE tenant_id = ? AND invitation_id = ANY (?)",
                PersonalData.ERASED, PersonalData.ERASED, e.tenantId(), e.invitationIds().toArray(String[]::new));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM invitation");
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
