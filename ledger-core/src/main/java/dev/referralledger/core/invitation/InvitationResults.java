package dev.referralledger.core.invitation;

import java.util.List;

/**
 * The answer to {@link SendInvitations}: one result per invitee, in the order sent, and an overall verdict.
 *
 * @param batchId      the batch recorded, or null when no invitee was new (nothing was recorded)
 * @param advocateId   the referrer's person id; null when the referrer is not an advocate of the program
 * @param referralCode the referrer's code in the program, for the invitations' links; null likewise
 * @param success      true when at least one invitee is invited (now or before)
 * @param code         1000 when {@code success}, else the code of the first invitee
 */
public record InvitationResults(String batchId, String programId, String advocateId, String referralCode,
                                boolean success, int code, String message, int invited, int failed,
                                List<InviteeResult> results) {

    /**
     * @param index        the invitee's position in the request, from 0
     * @param identifier   as sent
     * @param invitationId the invitation (new or earlier) when {@code success}, else null
     */
    public record InviteeResult(int index, String identifier, boolean success, int code, String message,
                         String invitationId, boolean alreadyInvited) {

        static InviteeResult of(int index, String identifier, InvitationOutcome outcome, String invitationId) {
            return new InviteeResult(index, identifier, outcome.success(), outcome.code(), outcome.message(), invitationId,
                    outcome == InvitationOutcome.ALREADY_INVITED);
        }
    }

    static InvitationResults of(String batchId, String programId, String advocateId, String referralCode,
                                List<InviteeResult> results) {
        int invited = (int) results.stream().filter(InviteeResult::success).count();
        int failed = results.size() - invited;
        if (invited > 0) {
            String message = failed == 0 ? "Referrals are invited successfully"
                    : invited + " of " + results.size() + " invitees are invited; see each result";
            return new InvitationResults(batchId, programId, advocateId, referralCode, true, 1000, message, invited,
                    failed, results);
        }
        InviteeResult first = results.get(0);
        return new InvitationResults(batchId, programId, advocateId, referralCode, false, first.code(),
                "No invitee was invited: " + first.message(), 0, failed, results);
    }
}
