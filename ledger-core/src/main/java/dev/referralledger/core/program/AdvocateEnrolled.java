package dev.referralledger.core.program;

import dev.referralledger.core.person.PersonalData;

/**
 * ADVOCATE_ENROLLED: a person became an advocate of a program with a referral code of their own.
 * The code is unique within the tenant and is never given to anyone else, even after the program ends.
 * Name, email, phone and external id are the advocate's personal data.
 */
public record AdvocateEnrolled(String enrollmentId, String tenantId, String programId, String advocateId,
                               String referralCode, AdvocateRole role,
                               @PersonalData(subject = "advocateId") String name,
                               @PersonalData(subject = "advocateId") String email,
                               @PersonalData(subject = "advocateId") String phone,
                               @PersonalData(subject = "advocateId") String externalId) {
}
