package dev.referralledger.core.program;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.Payloads;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnrollmentsTest {

    private static final String TENANT = ProgramTest.TENANT;
    private static final String PROGRAM = ProgramTest.ID;

    private FixtureConfiguration<Enrollment> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Enrollment.class);
        lookups = new InMemoryLookups();
        new ProgramTerms("Spring", ProgramStatus.ACTIVE, List.of(), List.of(), List.of(InvitationType.EMAIL), 90, 20,
                "https://shop.example.com/join").store(lookups, TENANT, PROGRAM);
        fixture.registerAnnotatedCommandHandler(new Enrollments(fixture.getRepository(), lookups, new FieldRules(null)));
    }

    private static EnrollAdvocate enroll(String id, String email) {
        return new EnrollAdvocate(id, TENANT, PROGRAM, new Advocate("Pat", email, null, null), "student_ambassador");
    }

    @Test
    void enrollingGivesACodeWithoutLookAlikeCharacters() {
        fixture.givenNoPriorActivity()
                .when(enroll("enr-1", "Pat@Example.com"))
                .expectSuccessfulHandlerExecution()
                .expectResultMessageMatching(org.axonframework.test.matchers.Matchers.messageWithPayload(Payloads.payload(
                        Enrolled.class, e -> e.created() && e.shareLink().startsWith("https://shop.example.com/join?ref="))));
        String personId = lookups.find(TENANT, LookupKind.PERSON_EMAIL, "pat@example.com").orElseThrow().ownerId();
        String code = lookups.find(TENANT, LookupKind.ENROLLMENT, PROGRAM + ":" + personId).orElseThrow().detail();
        assertThat(code).hasSize(ReferralCodes.LENGTH).matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+");
        assertThat(lookups.find(TENANT, LookupKind.REFERRAL_CODE, code).orElseThrow().scopeId()).isEqualTo(PROGRAM);
        assertThat(ReferralCodes.normalize(" " + code.toLowerCase() + " ")).isEqualTo(code);
    }

    @Test
    void enrollingTheSamePersonAgainAnswersTheExistingCode() {
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "pat@example.com", "person-pat", null, null);
        lookups.put(TENANT, LookupKind.ENROLLMENT, PROGRAM + ":person-pat", "enr-1", PROGRAM, "ABCD2345");
        fixture.givenNoPriorActivity()
                .when(enroll("enr-2", " PAT@example.com"))
                .expectNoEvents()
                .expectResultMessagePayload(new Enrolled("enr-1", "person-pat", "ABCD2345",
                        "https://shop.example.com/join?ref=ABCD2345", false));
    }

    @Test
    void enrollmentRecordsTheAdvocate() {
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "sam@example.com", "person-sam", null, null);
        fixture.givenNoPriorActivity()
                .when(enroll("enr-9", "sam@example.com"))
                .expectEventsMatching(Payloads.onlyEvent(AdvocateEnrolled.class, e -> e.advocateId().equals("person-sam")
                        && e.role() == AdvocateRole.STUDENT_AMBASSADOR && e.programId().equals(PROGRAM)));
    }

    @Test
    void aPausedProgramEnrollsNobody() {
        new ProgramTerms("Spring", ProgramStatus.PAUSED, List.of(), List.of(), List.of(), 90, 20, null)
                .store(lookups, TENANT, PROGRAM);
        fixture.givenNoPriorActivity()
                .when(enroll("enr-1", "pat@example.com"))
                .expectException(ConflictException.class)
                .expectNoEvents();
    }

    @Test
    void unknownProgramAndMissingIdentityAreRefused() {
        fixture.givenNoPriorActivity()
                .when(new EnrollAdvocate("enr-1", TENANT, "nope", new Advocate("Pat", "pat@example.com", null, null), null))
                .expectException(NotFoundException.class);
        fixture.givenNoPriorActivity()
                .when(new EnrollAdvocate("enr-1", TENANT, PROGRAM, new Advocate("Pat", null, null, null), "pilot"))
                .expectException(InvalidCommandException.class)
                .expectNoEvents();
    }
}
