package dev.referralledger.core.program;

/**
 * The answer to {@link EnrollAdvocate}.
 *
 * @param created false when the person was enrolled already (nothing was recorded)
 */
public record Enrolled(String enrollmentId, String advocateId, String referralCode, String shareLink, boolean created) {
}
