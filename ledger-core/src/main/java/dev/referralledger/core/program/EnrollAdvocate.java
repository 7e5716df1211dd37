package dev.referralledger.core.program;

import dev.referralledger.core.referral.Advocate;

/**
 * Enrolls a person as an advocate of a program, giving them a referral code. Enrolling the same person again
 * answers their existing enrollment. {@code role} defaults to CUSTOMER.
 */
public record EnrollAdvocate(String enrollmentId, String tenantId, String programId, Advocate advocate, String role) {
}
