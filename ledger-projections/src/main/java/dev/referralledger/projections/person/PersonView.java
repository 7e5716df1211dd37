package dev.referralledger.projections.person;

import java.time.Instant;
import java.util.List;

/**
 * A person with the referrals they made (as advocate) and received (as the referred person), newest first,
 * at most 100 of each; the totals count all of them.
 */
public record PersonView(String id, String name, String email, String phone, String externalId, String leadSource,
                         Instant firstSeenAt, Instant lastSeenAt, long referralsMadeTotal, long referralsReceivedTotal,
                         List<ReferralSummary> referralsMade, List<ReferralSummary> referralsReceived) {

    public record ReferralSummary(String id, String status, String programId, String advocateId,
                                  String referredPersonId, String flag, Instant createdAt) {
    }
}
