package dev.referralledger.core.invitation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.program.ProgramStatus;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.referral.Referral;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.referralledger.core.referral.ReferralFixtures.violations;

/** Each invitee is judged on its own; only new, valid invitees are recorded, in one event. */
class InvitationsTest {

    private static final String TENANT = "tenant-a";
    private static final String PROGRAM = "prog-1";
    private static final String BATCH = "batch-1";
    private static final String PAT_ID = "person-pat";
    private static final String CODE = "PAT23456";
    private static final Instant AT = Instant.parse("2024-09-10T16:35:52Z");

    private FixtureConfiguration<InvitationBatch> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        lookups = new InMemoryLookups();
        program(ProgramStatus.ACTIVE, List.of(InvitationType.EMAIL));
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "pat@example.com", PAT_ID, null, null);
        lookups.put(TENANT, LookupKind.PERSON_PHONE, "+14155552671", PAT_ID, null, null);
        lookups.put(TENANT, LookupKind.ENROLLMENT, PROGRAM + ":" + PAT_ID, "enr-1", PROGRAM, CODE);
        fixture = new AggregateTestFixture<>(InvitationBatch.class);
        fixture.registerAnnotatedCommandHandler(new Invitations(fixture.getRepository(), lookups, new FieldRules(null)));
    }

    private void program(ProgramStatus status, List<InvitationType> types) {
        ProgramTerms terms = new ProgramTerms("Spring", status, List.of(), List.of(), types, 90, 20, null);
        try {
            lookups.put(TENANT, LookupKind.PROGRAM_TERMS, PROGRAM, PROGRAM, null, new ObjectMapper().writeValueAsString(terms));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SendInvitations send(String referrerEmail, SendInvitations.Invitee... invitees) {
        return new SendInvitations(BATCH, TENANT, PROGRAM, referrerEmail, null, List.of(invitees));
    }

    private static SendInvitations.Invitee email(String identifier) {
        return new SendInvitations.Invitee("EMAIL", identifier, "Sam", AT);
    }

    private static InvitationsSent.Invitation invitation(int index, InvitationType type, String identifier) {
        return new InvitationsSent.Invitation(Invitations.invitationId(BATCH, index), type, identifier, "Sam", AT);
    }

    @Test
    void validInviteesAreRecordedInOneEvent() {
        fixture.givenNoPriorActivity()
                .when(send("PAT@example.com", email(" Sam@Example.com "), email("kim@example.com")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new InvitationsSent(BATCH, TENANT, PROGRAM, PAT_ID, CODE, List.of(
                        invitation(0, InvitationType.EMAIL, "sam@example.com"),
                        invitation(1, InvitationType.EMAIL, "kim@example.com"))))
                .expectResultMessagePayloadMatching(results(true, 1000, "0:1000", "1:1000"));
        assertThat(lookups.find(TENANT, LookupKind.INVITATION, PROGRAM + ":" + PAT_ID + ":sam@example.com"))
                .hasValueSatisfying(e -> assertThat(e.ownerId()).isEqualTo(Invitations.invitationId(BATCH, 0)));
    }

    @Test
    void partialSuccessRecordsTheValidOnesAndAnswersEachCode() {
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", email("sam@example.com"), email("not-an-email"),
                        new SendInvitations.Invitee("MOBILE", "+14155550100", "Kim", AT),
                        new SendInvitations.Invitee("FAX", "123", "Lee", AT)))
                .expectEvents(new InvitationsSent(BATCH, TENANT, PROGRAM, PAT_ID, CODE, List.of(
                        invitation(0, InvitationType.EMAIL, "sam@example.com"))))
                .expectResultMessagePayloadMatching(results(true, 1000, "0:1000", "1:1701", "2:1206", "3:1206"));
    }

    @Test
    void anInvalidMobileIs1701() {
        program(ProgramStatus.ACTIVE, List.of(InvitationType.EMAIL, InvitationType.MOBILE));
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", new SendInvitations.Invitee("mobile", "79998364", "Kim", AT),
                        new SendInvitations.Invitee("MOBILE", "+1 415 555 0100", "Kim", AT)))
                .expectEvents(new InvitationsSent(BATCH, TENANT, PROGRAM, PAT_ID, CODE, List.of(
                        new InvitationsSent.Invitation(Invitations.invitationId(BATCH, 1), InvitationType.MOBILE,
                                "+14155550100", "Kim", AT))))
                .expectResultMessagePayloadMatching(results(true, 1000, "0:1701", "1:1000"));
    }

    @Test
    void anUnknownReferrerIs1012ForEveryInviteeAndRecordsNothing() {
        fixture.givenNoPriorActivity()
                .when(send("nobody@example.com", email("sam@example.com"), email("kim@example.com")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(results(false, 1012, "0:1012", "1:1012"));
    }

    @Test
    void aPersonWhoIsNotEnrolledInTheProgramIs1012() {
        lookups.put(TENANT, LookupKind.PERSON_EMAIL, "kim@example.com", "person-kim", null, null);
        fixture.givenNoPriorActivity()
                .when(send("kim@example.com", email("sam@example.com")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(results(false, 1012, "0:1012"));
    }

    @Test
    void theReferrerMayBeNamedByMobile() {
        fixture.givenNoPriorActivity()
                .when(new SendInvitations(BATCH, TENANT, PROGRAM, null, "+1 (415) 555-2671", List.of(email("sam@example.com"))))
                .expectEvents(new InvitationsSent(BATCH, TENANT, PROGRAM, PAT_ID, CODE, List.of(
                        invitation(0, InvitationType.EMAIL, "sam@example.com"))));
    }

    @Test
    void invitingTheSameIdentifierAgainAnswersTheFirstInvitation() {
        String first = "earlier-invitation";
        lookups.claim(TENANT, LookupKind.INVITATION, PROGRAM + ":" + PAT_ID + ":sam@example.com", first, PROGRAM, "b0", null);
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", email("SAM@example.com"), email("kim@example.com"), email("kim@example.com")))
                .expectEvents(new InvitationsSent(BATCH, TENANT, PROGRAM, PAT_ID, CODE, List.of(
                        invitation(1, InvitationType.EMAIL, "kim@example.com"))))
                .expectResultMessagePayloadMatching(new TypeSafeMatcher<InvitationResults>() {
                    @Override
                    protected boolean matchesSafely(InvitationResults r) {
                        return r.results().get(0).invitationId().equals(first) && r.results().get(0).alreadyInvited()
                                && r.results().get(2).invitationId().equals(Invitations.invitationId(BATCH, 1))
                                && r.invited() == 3 && r.failed() == 0;
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("the earlier invitations named");
                    }
                });
    }

    @Test
    void nothingNewRecordsNothing() {
        lookups.claim(TENANT, LookupKind.INVITATION, PROGRAM + ":" + PAT_ID + ":sam@example.com", "earlier", PROGRAM, "b0", null);
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", email("sam@example.com")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(new TypeSafeMatcher<InvitationResults>() {
                    @Override
                    protected boolean matchesSafely(InvitationResults r) {
                        return r.batchId() == null && r.success() && r.code() == 1000;
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("no batch, but success");
                    }
                });
    }

    @Test
    void anUnknownProgramIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new SendInvitations(BATCH, TENANT, "other", "pat@example.com", null, List.of(email("sam@example.com"))))
                .expectException(NotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void aPausedProgramTakesNoInvitations() {
        program(ProgramStatus.PAUSED, List.of(InvitationType.EMAIL));
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", email("sam@example.com")))
                .expectException(ConflictException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("PAUSED"))
                .expectNoEvents();
    }

    @Test
    void aMalformedRequestIsRefusedAsAWhole() {
        List<SendInvitations.Invitee> invitees = new ArrayList<>();
        invitees.add(email("sam@example.com"));
        invitees.add(null);
        invitees.add(new SendInvitations.Invitee("EMAIL", "kim@example.com", "x".repeat(201), null));
        fixture.givenNoPriorActivity()
                .when(new SendInvitations(BATCH, TENANT, PROGRAM, "pat-at-example", null, invitees))
                .expectException(violations("referrer.email:INVALID_EMAIL", "invitees[1]:REQUIRED", "invitees[2].name:TOO_LONG"))
                .expectNoEvents();
    }

    @Test
    void aReferrerAndInviteesAreRequired() {
        fixture.givenNoPriorActivity()
                .when(new SendInvitations(BATCH, TENANT, PROGRAM, " ", null, List.of()))
                .expectException(violations("referrer.email:REQUIRED", "invitees:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void tooManyInviteesAreRefused() {
        List<SendInvitations.Invitee> many = Collections.nCopies(SendInvitations.MAX_INVITEES + 1, email("sam@example.com"));
        fixture.givenNoPriorActivity()
                .when(new SendInvitations(BATCH, TENANT, PROGRAM, "pat@example.com", null, many))
                .expectException(violations("invitees:TOO_MANY"))
                .expectNoEvents();
    }

    @Test
    void aMissingInvitedAtIsTheTimeOfTheRequest() {
        Instant before = Instant.now();
        fixture.givenNoPriorActivity()
                .when(send("pat@example.com", new SendInvitations.Invitee("EMAIL", "sam@example.com", null, null)))
                .expectEventsMatching(new TypeSafeMatcher<List<? super EventMessage<?>>>() {
                    @Override
                    protected boolean matchesSafely(List<? super EventMessage<?>> events) {
                        InvitationsSent sent = (InvitationsSent) ((EventMessage<?>) events.get(0)).getPayload();
                        return !sent.invitations().get(0).invitedAt().isBefore(before) && sent.invitations().get(0).name() == null;
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("invitedAt is now");
                    }
                });
    }

    @Test
    void anInviteeWhoArrivesWithTheCodeIsLinkedToTheInvitation() {
        lookups.put(TENANT, LookupKind.REFERRAL_CODE, CODE, PAT_ID, PROGRAM, "enr-1");
        fixture.givenNoPriorActivity().when(send("pat@example.com", email("sam@example.com")));
        FixtureConfiguration<Referral> referrals = new AggregateTestFixture<>(Referral.class);
        referrals.registerIgnoredField(ReferralReceived.class, "receivedAt");
        referrals.registerInjectableResource(new FieldRules(null));
        referrals.registerInjectableResource(lookups);
        referrals.givenNoPriorActivity()
                .when(new CreateReferral("ref-1", TENANT, null, new ReferredPerson("Sam", null, "Sam@example.com", null),
                        null, null, null, null, null, null, null, null, null, CODE.toLowerCase(), null, null, null))
                .expectEventsMatching(new TypeSafeMatcher<List<? super EventMessage<?>>>() {
                    @Override
                    protected boolean matchesSafely(List<? super EventMessage<?>> events) {
                        ReferralReceived received = (ReferralReceived) ((EventMessage<?>) events.get(0)).getPayload();
                        return Invitations.invitationId(BATCH, 0).equals(received.invitationId());
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("a referral linked to invitation 0");
                    }
                });
    }

    /** Matches results with this overall verdict and these "index:code" pairs. */
    private static Matcher<InvitationResults> results(boolean success, int code, String... indexCodes) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(InvitationResults r) {
                List<String> actual = r.results().stream().map(x -> x.index() + ":" + x.code()).toList();
                return r.success() == success && r.code() == code && actual.equals(List.of(indexCodes))
                        && r.results().stream().allMatch(x -> x.success() == (x.code() == 1000)
                        && (x.invitationId() != null) == x.success());
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("success " + success + ", code " + code + ", results " + List.of(indexCodes));
            }
        };
    }

}
