package dev.referralledger.projections.program;

import java.time.Instant;

/** An advocate enrolled in a program, with the code and link they share. */
public record AdvocateView(String enrollmentId, String advocateId, String programId, String referralCode,
                           String shareLink, String role, String name, String email, String phone, String externalId,
                           Instant enrolledAt) {
}
