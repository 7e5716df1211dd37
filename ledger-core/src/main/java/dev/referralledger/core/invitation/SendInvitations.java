package dev.referralledger.core.invitation;

import java.time.Instant;
import java.util.List;

/**
 * A referrer, named by email or mobile, invites people to a program. Fields arrive as sent: each invitee is
 * judged on its own and answered with an {@link InvitationOutcome}, so that one bad address does not refuse
 * the others.
 *
 * @param batchId the id of the batch; the invitations' ids are derived from it and each invitee's index
 */
public record SendInvitations(String batchId, String tenantId, String programId, String referrerEmail,
                              String referrerMobile, List<Invitee> invitees) {

    /** More invitees in one request are refused (400 TOO_MANY): the answer lists every one of them. */
    public static final int MAX_INVITEES = 1000;

    /**
     * One person to invite, as sent.
     *
     * @param type       EMAIL or MOBILE: what {@code identifier} is
     * @param invitedAt  when the referrer invited them; null means now
     */
    public record Invitee(String type, String identifier, String name, Instant invitedAt) {
    }
}
