package dev.referralledger.core.program;

/**
 * ADVOCATE_ENROLLED: a person became an advocate of a program with a referral code of their own.
 * The code is unique within the tenant and is never given to anyone else, even after the program ends.
 */
public record AdvocateEnrolled(String enrollmentId, String tenantId, String programId, String advocateId,
                               String referralCode, AdvocateRole role, String name, String email, String phone,
                               String externalId) {
}
