package dev.referralledger.projections.invitation;

import dev.referralledger.core.invitation.InvitationsSent;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The invitation projection against real PostgreSQL. */
class InvitationProjectionTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final InvitationProjection projection = new InvitationProjection(jdbc);
    private final String tenant = "t-" + UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");

    private ReferralReceived referral(String id, String invitationId) {
        return new ReferralReceived(id, tenant, null, new ReferredPerson("Sam", null, "sam@example.com", null),
                List.of(), null, Channel.API, null, null, null, Map.of(), "prog-1", "pat", "sam", "CODE2345",
                null, invitationId, null, null, null);
    }

    private Map<String, Object> row(String invitationId) {
        return jdbc.queryForMap("SELECT * FROM invitation WHERE invitation_id = ?", invitationId);
    }

    @Test
    void anInvitationIsAcceptedByTheFirstReferralThatNamesIt() {
        String sam = UUID.randomUUID().toString();
        String kim = UUID.randomUUID().toString();
        InvitationsSent sent = new InvitationsSent("b-" + sam, tenant, "prog-1", "pat", "CODE2345", List.of(
                new InvitationsSent.Invitation(sam, InvitationType.EMAIL, "sam@example.com", "Sam", t0),
                new InvitationsSent.Invitation(kim, InvitationType.MOBILE, "+14155550100", null, t0)));
        // the event is stored at its own position; the processor's token is ahead of it (it committed late)
        String eventId = "evt-" + sam;
        long own = jdbc.queryForObject("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload)
                VALUES (?, ?, 0, 'InvitationBatch', '2026-11-21T10:00:00Z', 'InvitationsSent', '\\x7b7d'::bytea)
                RETURNING global_index""", Long.class, eventId, "b-" + sam);
        for (int round = 0; round < 2; round++) {
            projection.on(sent, t0.plusSeconds(1), eventId, new GlobalSequenceTrackingToken(own + 5));
            projection.on(referral("ref-1", sam), t0.plusSeconds(60));
            projection.on(referral("ref-2", sam), t0.plusSeconds(90));
            projection.on(referral("ref-3", null), t0.plusSeconds(120));
        }
        assertThat(row(sam)).containsEntry("status", "ACCEPTED").containsEntry("referral_id", "ref-1")
                .containsEntry("type", "EMAIL").containsEntry("referral_code", "CODE2345")
                .containsEntry("global_position", own);
        assertThat(row(kim)).containsEntry("status", "INVITED").containsEntry("referral_id", null)
                .containsEntry("identifier", "+14155550100");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invitation WHERE tenant_id = ?", Long.class, tenant))
                .isEqualTo(2L);
    }
}
