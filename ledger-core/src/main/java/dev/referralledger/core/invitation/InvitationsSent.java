package dev.referralledger.core.invitation;

import dev.referralledger.core.person.PersonalData;
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
     * The invitee is not a person of the ledger yet: their identifier and name are the invitation's personal
     * data, erased with the person who holds that identifier when they are erased.
     *
     * @param identifier lower-case email or E.164 number, as a later referral's referred person is matched
     */
    public record Invitation(String invitationId, InvitationType type,
                             @PersonalData(subject = "invitationId") String identifier,
                             @PersonalData(subject = "invitationId") String name,
                             Instant invitedAt) {
    }
}
