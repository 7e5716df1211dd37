package dev.referralledger.core.program;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.person.People;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;

import java.util.Optional;

/**
 * Handles {@link EnrollAdvocate}: finds the person, answers their existing enrollment in the program if there
 * is one, or enrolls them with a new referral code. The person and the code are claimed in the command's own
 * transaction, so two concurrent enrollments of the same person create one enrollment and no code is ever
 * given twice.
 */
public class Enrollments {

    private static final int CODE_ATTEMPTS = 10;

    private final Repository<Enrollment> repository;
    private final Lookups lookups;
    private final FieldRules rules;

    public Enrollments(Repository<Enrollment> repository, Lookups lookups, FieldRules rules) {
        this.repository = repository;
        this.lookups = lookups;
        this.rules = rules;
    }

    @CommandHandler
    public Enrolled handle(EnrollAdvocate cmd) throws Exception {
        Optional<ProgramTerms> found = ProgramTerms.of(lookups, cmd.tenantId(), cmd.programId());
        if (found.isEmpty()) {
            throw new NotFoundException("Program", cmd.programId());
        }
        ProgramTerms terms = found.get();
        Violations v = new Violations();
        Advocate in = cmd.advocate();
        if (in == null) {
            v.add("advocate", "REQUIRED", "advocate is required.");
            v.throwIfAny();
        }
        String name = rules.text(v, "name", in.name(), FieldRules.MAX_NAME, false);
        String email = rules.email(v, "email", in.email(), false);
        String phone = rules.phone(v, "phone", in.phone());
        String externalId = rules.text(v, "externalId", in.externalId(), FieldRules.MAX_NAME, false);
        if (email == null && phone == null && externalId == null && v.isEmpty()) {
            v.add("email", "REQUIRED", "An advocate needs an email, a phone or an externalId.");
        }
        AdvocateRole role = rules.oneOf(v, "role", cmd.role(), AdvocateRole.class, AdvocateRole.CUSTOMER, "UNKNOWN_ROLE");
        v.throwIfAny();
        terms.requireActive(cmd.programId());

        String advocateId = People.resolve(lookups, cmd.tenantId(), email, phone, externalId).personId();
        Lookups.Entry enrollment = lookups.claim(cmd.tenantId(), LookupKind.ENROLLMENT, cmd.programId() + ":" + advocateId,
                cmd.enrollmentId(), cmd.programId(), null, null);
        if (!enrollment.claimedNow()) {
            String code = enrollment.detail();
            return new Enrolled(enrollment.ownerId(), advocateId, code, terms.shareLink(code), false);
        }
        String code = claimCode(cmd.tenantId(), cmd.programId(), advocateId, cmd.enrollmentId());
        lookups.put(cmd.tenantId(), LookupKind.ENROLLMENT, cmd.programId() + ":" + advocateId, cmd.enrollmentId(),
                cmd.programId(), code);
        AdvocateEnrolled enrolled = new AdvocateEnrolled(cmd.enrollmentId(), cmd.tenantId(), cmd.programId(), advocateId,
                code, role, name, email, phone, externalId);
        repository.newInstance(() -> new Enrollment(enrolled));
        return new Enrolled(cmd.enrollmentId(), advocateId, code, terms.shareLink(code), true);
    }

    private String claimCode(String tenantId, String programId, String advocateId, String enrollmentId) {
        for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
            String code = ReferralCodes.next();
            if (lookups.claim(tenantId, LookupKind.REFERRAL_CODE, code, advocateId, programId, enrollmentId, null)
                    .claimedNow()) {
                return code;
            }
        }
        throw new IllegalStateException("no free referral code after " + CODE_ATTEMPTS + " attempts");
    }
}
