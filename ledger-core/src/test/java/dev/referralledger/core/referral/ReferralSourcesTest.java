package dev.referralledger.core.referral;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Payloads;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.program.ProgramStatus;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.UnacceptableException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.referralledger.core.referral.ReferralFixtures.ID;
import static dev.referralledger.core.referral.ReferralFixtures.PAT_ID;
import static dev.referralledger.core.referral.ReferralFixtures.SAM_ID;
import static dev.referralledger.core.referral.ReferralFixtures.TENANT;
import static dev.referralledger.core.referral.ReferralFixtures.violations;

/** Where a referral comes from (impression, code, program) and the rules that stop bad referrals. */
class ReferralSourcesTest {

    private static final String PROGRAM = "prog-1";
    private static final Advocate PAT = new Advocate("Pat", "pat@example.com", null, null);
    private static final ReferredPerson SAM = new ReferredPerson("Sam", "Lee", "sam@example.com", null);

    private FixtureConfiguration<Referral> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Referral.class);
        // received now: checked where it matters (ReferralReceivedAtTest)
        fixture.registerIgnoredField(ReferralReceived.class, "receivedAt");
        lookups = ReferralFixtures.knownPeople();
        terms(ProgramStatus.ACTIVE, 3, List.of());
        lookups.claim(TENANT, LookupKind.REFERRAL_CODE, "ABCD2345", PAT_ID, PROGRAM, "enr-1", null);
        lookups.put(TENANT, LookupKind.IMPRESSION, "imp-1", PAT_ID, PROGRAM, "ABCD2345");
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
    }

    private void terms(ProgramStatus status, int velocity, List<String> types) {
        new ProgramTerms("Spring", status, List.of(), types, List.of(InvitationType.EMAIL), 90, velocity, null)
                .store(lookups, TENANT, PROGRAM);
    }

    private static CreateReferral create(String id, Advocate referrer, ReferredPerson referred, String programId,
                                         String code, String impressionId, String type) {
        return new CreateReferral(id, TENANT, referrer, referred, null, null, null, type, null, null, null, null,
                programId, code, impressionId, null, null);
    }

    @Test
    void anImpressionGivesProgramAdvocateAndCode() {
        fixture.givenNoPriorActivity()
                .when(create(ID, null, SAM, null, null, "imp-1", null))
                .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e -> PROGRAM.equals(e.programId())
                        && PAT_ID.equals(e.advocateId()) && SAM_ID.equals(e.referredPersonId())
                        && "ABCD2345".equals(e.referralCode()) && "imp-1".equals(e.impressionId())
                        && e.referrer() == null && e.flag() == null));
    }

    @Test
    void aCodeIsMatchedWhateverItsCase() {
        fixture.givenNoPriorActivity()
                .when(create(ID, null, SAM, null, " abcd2345 ", null, null))
                .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e -> PROGRAM.equals(e.programId())
                        && PAT_ID.equals(e.advocateId()) && e.impressionId() == null));
    }

    @Test
    void unknownImpressionCodeAndProgramAreFieldErrors() {
        fixture.givenNoPriorActivity().when(create(ID, PAT, SAM, null, null, "imp-x", null))
                .expectException(violations("impressionId:IMPRESSION_NOT_FOUND")).expectNoEvents();
        fixture.givenNoPriorActivity().when(create(ID, PAT, SAM, null, "ZZZZ9999", null, null))
                .expectException(violations("referralCode:REFERRAL_CODE_NOT_FOUND")).expectNoEvents();
        fixture.givenNoPriorActivity().when(create(ID, PAT, SAM, "prog-x", null, null, null))
                .expectException(violations("programId:PROGRAM_NOT_FOUND")).expectNoEvents();
    }

    @Test
    void withoutACodeTheReferrerIsRequired() {
        fixture.givenNoPriorActivity().when(create(ID, null, SAM, PROGRAM, null, null, null))
                .expectException(violations("referrer:REQUIRED"));
    }

    @Test
    void aPausedProgramTakesNoReferrals() {
        terms(ProgramStatus.PAUSED, 3, List.of());
        fixture.givenNoPriorActivity().when(create(ID, null, SAM, null, "ABCD2345", null, null))
                .expectException(ConflictException.class)
                .expectNoEvents();
    }

    @Test
    void aTypeTheProgramDoesNotTakeIsRefused() {
        terms(ProgramStatus.ACTIVE, 3, List.of("REFINANCE"));
        fixture.givenNoPriorActivity().when(create(ID, null, SAM, null, "ABCD2345", null, "purchase"))
                .expectException(violations("type:TYPE_NOT_ALLOWED"));
    }

    @Test
    void anAdvocateCannotReferThemselves() {
        fixture.givenNoPriorActivity()
                .when(create(ID, PAT, new ReferredPerson("Pat", null, "PAT@example.com", null), null, null, null, null))
                .expectException(UnacceptableException.class)
                .expectExceptionMessage("An advocate cannot refer themselves.")
                .expectNoEvents();
        // the code's owner referring themselves counts too
        fixture.givenNoPriorActivity()
                .when(create(ID, null, new ReferredPerson("Pat", null, "pat@example.com", null), null, "ABCD2345", null, null))
                .expectException(UnacceptableException.class);
    }

    @Test
    void thePersonReferredFirstKeepsTheCredit() {
        lookups.claim(TENANT, LookupKind.REFERRED_IN_PROGRAM, PROGRAM + ":" + SAM_ID, "ref-0", PROGRAM, null,
                java.time.Instant.now().plusSeconds(3600));
        fixture.givenNoPriorActivity()
                .when(create(ID, null, SAM, null, "ABCD2345", null, null))
                .expectException(Payloads.payload(ConflictException.class, e -> e.code().equals("ALREADY_REFERRED")
                        && e.details().get("existingReferralId").equals("ref-0")))
                .expectNoEvents();
    }

    @Test
    void afterTheAttributionWindowThePersonMayBeReferredAgain() {
        lookups.claim(TENANT, LookupKind.REFERRED_IN_PROGRAM, PROGRAM + ":" + SAM_ID, "ref-0", PROGRAM, null,
                java.time.Instant.now().plusSeconds(3600));
        lookups.expire(TENANT, LookupKind.REFERRED_IN_PROGRAM, PROGRAM + ":" + SAM_ID);
        fixture.givenNoPriorActivity()
                .when(create(ID, null, SAM, null, "ABCD2345", null, null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void beyondTheVelocityLimitReferralsAreFlaggedForReview() {
        for (int i = 1; i <= 3; i++) {
            fixture.givenNoPriorActivity()
                    .when(create("ref-" + i, null, new ReferredPerson("Lead", null, "lead" + i + "@example.com", null),
                            null, "ABCD2345", null, null))
                    .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e -> e.flag() == null));
        }
        fixture.givenNoPriorActivity()
                .when(create("ref-4", null, new ReferredPerson("Lead", null, "lead4@example.com", null), null,
                        "ABCD2345", null, null))
                .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e -> e.flag() == ReviewFlag.REVIEW));
    }

    private static ReferralReceived flagged() {
        return new ReferralReceived(ID, TENANT, null, SAM, List.of(), null, Channel.API, null, null, null, java.util.Map.of(),
                PROGRAM, PAT_ID, SAM_ID, "ABCD2345", null, null, ReviewFlag.REVIEW, null, null);
    }

    @Test
    void aFlaggedReferralIsApprovedOrRejectedByAPerson() {
        fixture.given(flagged())
                .when(new ReviewReferral(ID, TENANT, "approve", "Checked with the school"))
                .expectEvents(new ReferralApproved(ID, TENANT, "Checked with the school"))
                .expectResultMessagePayload(1L);
        fixture.given(flagged())
                .when(new ReviewReferral(ID, TENANT, "REJECT", null))
                .expectEvents(new ReferralRejected(ID, TENANT, null));
        lookups.claim(TENANT, LookupKind.REFERRED_IN_PROGRAM, PROGRAM + ":" + SAM_ID, ID, PROGRAM, null, null);
        fixture.given(flagged())
                .when(new ReviewReferral(ID, TENANT, "REJECT", "Same household"))
                .expectSuccessfulHandlerExecution();
        // the rejected referral no longer holds the person: another advocate's genuine referral may credit them
        org.assertj.core.api.Assertions.assertThat(lookups.find(TENANT, LookupKind.REFERRED_IN_PROGRAM,
                PROGRAM + ":" + SAM_ID)).isEmpty();
        fixture.given(flagged(), new ReferralRejected(ID, TENANT, null))
                .when(new ContactReferral(ID, TENANT, null))
                .expectException(dev.referralledger.core.rules.InvalidTransitionException.class);
    }

    @Test
    void aFlaggedReferralCannotConvertBeforeReview() {
        fixture.given(flagged())
                .when(new MarkConverted(ID, TENANT, "deal-1", new BigDecimal("10"), "USD", null))
                .expectException(ConflictException.class)
                .expectNoEvents();
        fixture.given(flagged(), new ReferralApproved(ID, TENANT, null))
                .when(new MarkConverted(ID, TENANT, "deal-1", new BigDecimal("10"), "USD", null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void reviewingAReferralThatIsNotFlaggedIsAConflict() {
        fixture.given(ReferralFixtures.received())
                .when(new ReviewReferral(ID, TENANT, "APPROVE", null))
                .expectException(ConflictException.class);
        fixture.given(flagged())
                .when(new ReviewReferral(ID, TENANT, "maybe", null))
                .expectException(violations("decision:UNKNOWN_DECISION"));
    }

    @Test
    void anIntroductionIsNamedAfterTheCompaniesAndListsItsFacilitators() {
        Introduction intro = new Introduction(new Party("u-1", "Ana", "Diaz", null, "Acme"),
                new Party("u-2", "Bo", "Chen", null, null), new Party("u-3", "Cy", null, null, "Link Ltd"), null,
                "Needs payroll", "prod-9", List.of(new Facilitator("u-4", "Dee", null, null, "provider")));
        fixture.givenNoPriorActivity()
                .when(new CreateReferral(ID, TENANT, PAT, SAM, null, null, null, null, null, new BigDecimal("50000"), "usd",
                        null, null, null, null, intro, null))
                .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e ->
                        e.introduction().name().equals("Acme → Bo Chen")
                                && e.introduction().facilitators().size() == 2
                                && e.introduction().facilitators().get(0).role().equals("CONNECTOR")
                                && e.introduction().facilitators().get(1).side().equals("PROVIDER")
                                && e.expectedValue().amount().compareTo(new BigDecimal("50000")) == 0));
    }

    @Test
    void theReferrerIsTheConnectorWhenNoneIsNamed() {
        Introduction intro = new Introduction(new Party(null, "Ana", null, null, null),
                new Party(null, "Bo", null, null, null), null, null, null, null, null);
        fixture.givenNoPriorActivity()
                .when(new CreateReferral(ID, TENANT, PAT, SAM, null, null, null, null, null, null, null,
                        null, null, null, null, intro, null))
                .expectEventsMatching(Payloads.onlyEvent(ReferralReceived.class, e ->
                        e.introduction().name().equals("Ana → Bo")
                                && e.introduction().connector().email().equals("pat@example.com")
                                && e.introduction().facilitators().get(0).name().equals("Pat")));
    }

    @Test
    void introductionLimitsAreFieldErrors() {
        Introduction intro = new Introduction(null, new Party(null, null, null, null, null), null, "x".repeat(201),
                "d".repeat(1001), null, null);
        fixture.givenNoPriorActivity()
                .when(new CreateReferral(ID, TENANT, PAT, SAM, null, null, null, null, null, new BigDecimal("-1"), "US",
                        null, null, null, null, intro, null))
                .expectException(violations("expectedValue:NEGATIVE_VALUE", "currency:INVALID_CURRENCY",
                        "introduction.seeker:REQUIRED", "introduction.provider.id:REQUIRED", "introduction.name:TOO_LONG",
                        "introduction.description:TOO_LONG"));
    }
}
