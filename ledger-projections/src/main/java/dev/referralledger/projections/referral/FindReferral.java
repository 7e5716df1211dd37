package dev.referralledger.projections.referral;

/**
 * One referral of a tenant; answers null when the tenant has no such referral.
 *
 * @param minVersion the answer reflects at least this event of the referral (its sequence number): a writer
 *                   passes the version its command produced and reads its own write. -1 reads what is there.
 */
public record FindReferral(String tenantId, String referralId, long minVersion) {

    public static FindReferral current(String tenantId, String referralId) {
        return new FindReferral(tenantId, referralId, -1);
    }
}
