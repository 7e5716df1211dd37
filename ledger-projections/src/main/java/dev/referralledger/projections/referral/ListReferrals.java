package dev.referralledger.projections.referral;

import java.time.Instant;

/**
 * A page of a tenant's referrals, newest first. Every filter is optional. {@code cursor} is the
 * {@code nextCursor} of the previous page: pages stay stable while new referrals arrive, because they
 * are ordered by the ledger position of each referral's first event.
 */
public record ListReferrals(String tenantId, String status, String agentId, String channel, String referrerEmail,
                            Instant createdFrom, Instant createdTo, int limit, Long cursor, String programId,
                            String advocateId, String flag) {
}
