package dev.referralledger.core.program;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.Payloads;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgramTest {

    static final String ID = "prog-1";
    static final String TENANT = "tenant-a";

    private FixtureConfiguration<Program> fixture;
    private InMemoryLookups lookups;

    static ProgramCreated created() {
        return new ProgramCreated(ID, TENANT, "Spring referrals", "spring", "cmp_x", List.of(), List.of(),
                List.of(InvitationType.EMAIL, InvitationType.MOBILE), 90, 20, null);
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        lookups = new InMemoryLookups();
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
    }

    @Test
    void createAppliesDefaultsAndGeneratesACampaignToken() {
        fixture.givenNoPriorActivity()
                .when(new CreateProgram(ID, TENANT, " Spring referrals ", "Spring", null, List.of("widget", "api"),
                        null, null, null, "https://shop.example.com/join"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Payloads.onlyEvent(ProgramCreated.class, e -> e.campaignToken().startsWith("cmp_")
                        && e.slug().equals("spring") && e.name().equals("Spring referrals")));
        ProgramTerms terms = ProgramTerms.of(lookups, TENANT, ID).orElseThrow();
        assertThat(terms.status()).isEqualTo(ProgramStatus.ACTIVE);
        assertThat(terms.attributionWindowDays()).isEqualTo(90);
        assertThat(terms.velocityLimitPerHour()).isEqualTo(20);
        assertThat(terms.allowedTypes()).containsExactly("WIDGET", "API");
        assertThat(terms.shareLink("ABCD2345")).isEqualTo("https://shop.example.com/join?ref=ABCD2345");
    }

    @Test
    void invalidTermsAreAllReported() {
        fixture.givenNoPriorActivity()
                .when(new CreateProgram(ID, TENANT, "", "Not a slug!", List.of("FAX"), null, List.of("PIGEON"), 0,
                        null, "ftp://x"))
                .expectException(InvalidCommandException.class)
                .expectNoEvents();
    }

    @Test
    void aSlugIsUniqueWithinATenant() {
        lookups.claim(TENANT, dev.referralledger.core.lookup.LookupKind.PROGRAM_SLUG, "spring", "other", null, null, null);
        fixture.givenNoPriorActivity()
                .when(new CreateProgram(ID, TENANT, "Spring", "spring", null, null, null, null, null, null))
                .expectException(ConflictException.class)
                .expectExceptionMessage("Another program already uses the slug spring.")
                .expectNoEvents();
    }

    @Test
    void pauseResumeAndEnd() {
        fixture.given(created())
                .when(new PauseProgram(ID, TENANT))
                .expectEvents(new ProgramPaused(ID, TENANT))
                .expectResultMessagePayload(1L);
        assertThat(ProgramTerms.of(lookups, TENANT, ID).orElseThrow().status()).isEqualTo(ProgramStatus.PAUSED);
        fixture.given(created(), new ProgramPaused(ID, TENANT))
                .when(new ResumeProgram(ID, TENANT))
                .expectEvents(new ProgramResumed(ID, TENANT));
        fixture.given(created())
                .when(new EndProgram(ID, TENANT))
                .expectEvents(new ProgramEnded(ID, TENANT));
    }

    @Test
    void repeatingAStatusChangeRecordsNothing() {
        fixture.given(created(), new ProgramPaused(ID, TENANT))
                .when(new PauseProgram(ID, TENANT))
                .expectNoEvents()
                .expectResultMessagePayload(1L);
    }

    @Test
    void anEndedProgramStaysEnded() {
        fixture.given(created(), new ProgramEnded(ID, TENANT))
                .when(new ResumeProgram(ID, TENANT))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
        fixture.given(created(), new ProgramEnded(ID, TENANT))
                .when(new UpdateProgram(ID, TENANT, "New name", null, null, null, null, null, null))
                .expectException(InvalidTransitionException.class);
    }

    @Test
    void updateKeepsWhatIsNotSent() {
        fixture.given(created())
                .when(new UpdateProgram(ID, TENANT, null, null, null, List.of("EMAIL"), 30, null, null))
                .expectEvents(new ProgramUpdated(ID, TENANT, "Spring referrals", List.of(), List.of(),
                        List.of(InvitationType.EMAIL), 30, 20, null));
    }

    @Test
    void anotherTenantCannotSeeTheProgram() {
        fixture.given(created())
                .when(new PauseProgram(ID, "tenant-b"))
                .expectException(NotFoundException.class);
    }
}
