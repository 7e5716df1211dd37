package dev.referralledger.projections.invitation;

import java.time.Instant;

/**
 * One invitation as {@code invitation} shows it.
 *
 * @param status      {@code INVITED}, or {@code ACCEPTED} once a referral named it ({@code referralId}, {@code acceptedAt})
 * @param identifier  the invitee's lower-case email or E.164 number ({@code [erased]} once the invitee is erased)
 * @param position    the ledger position of the event that recorded it: the order of the list
 */
public record InvitationView(String invitationId, String batchId, String programId, String advocateId,
                             String referralCode, String type, String identifier, String name, Instant invitedAt,
                             Instant recordedAt, String status, String referralId, Instant acceptedAt, long position) {
}
