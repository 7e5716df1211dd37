package dev.referralledger.core.invitation;

import dev.referralledger.core.program.InvitationType;

import java.time.Instant;
import java.util.List;

/**
 * INVITATIONS_SENT: an advocate of a program invited people, each reached by a normalized email or an E.164
 * mobile number. Only the invitees that were accepted are listed; one event per request, however many.
 */
public record InvitationsSent(String batchId, String tenantId, String programId, String advocateId,
                              String referralCode, List<Invitation> invitations) {

    /**
     * @param identifier lower-case email or E.164 number, as a later referral's referred person is matched
     */
    public record Invitation(String invitationId, InvitationType type, String identifier, String name,
                             Instant invitedAt) {
    }
}
