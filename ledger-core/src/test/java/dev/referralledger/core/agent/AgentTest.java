package dev.referralledger.core.agent;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.referralledger.core.referral.ReferralFixtures.violations;

/** Registering agents, their cross-tenant slugs, and publishing their public profile. */
class AgentTest {

    static final String ID = "agent-1";
    static final String TENANT = "tenant-a";

    private FixtureConfiguration<Agent> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Agent.class);
        lookups = new InMemoryLookups();
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
    }

    private static AgentRegistered registered(boolean published) {
        return new AgentRegistered(ID, TENANT, "Jane Doe", "jane@example.com", "jane-doe-realty", published);
    }

    /** The slug as a RegisterAgent of {@link #registered} would have left it in the lookups. */
    private void slugHeld(boolean published) {
        lookups.claim(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, "jane-doe-realty", ID, TENANT,
                published ? "published" : "unpublished", null);
    }

    private Optional<Lookups.Entry> slug(String slug) {
        return lookups.find(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, slug);
    }

    @Test
    void registeringNormalizesAndClaimsTheSlugForAllTenants() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, " Jane Doe ", "Jane@Example.com ", " Jane-Doe-Realty ", null))
                .expectSuccessfulHandlerExecution()
                .expectEvents(registered(false));
        assertThat(slug("jane-doe-realty")).contains(new Lookups.Entry(ID, TENANT, "unpublished", false));
    }

    @Test
    void anAgentCanBeRegisteredPublished() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, "Jane Doe", "jane@example.com", "jane-doe-realty", true))
                .expectEvents(registered(true));
        assertThat(slug("jane-doe-realty")).map(Lookups.Entry::detail).contains("published");
    }

    @Test
    void everyMissingFieldIsReportedAtOnce() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, " ", null, "", false))
                .expectException(violations("name:REQUIRED", "email:REQUIRED", "slug:REQUIRED"))
                .expectNoEvents();
        assertThat(slug("")).isEmpty();
    }

    @Test
    void malformedFieldsAreReportedWithTheirCodes() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, "x".repeat(201), "jane-at-example", "-jane doe!", false))
                .expectException(violations("name:TOO_LONG", "email:INVALID_EMAIL", "slug:INVALID_SLUG"))
                .expectNoEvents();
    }

    @Test
    void aTenantIsRequired() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, null, "Jane", "jane@example.com", "jane", false))
                .expectException(violations("tenantId:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void aSlugTakenInTheSameTenantNamesItsAgent() {
        lookups.claim(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, "jane-doe-realty", "agent-0", TENANT, "published", null);
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, "Jane", "jane@example.com", "JANE-DOE-REALTY", false))
                .expectException(conflict("SLUG_TAKEN", Map.of("field", "slug", "agentId", "agent-0")))
                .expectNoEvents();
        assertThat(slug("jane-doe-realty")).map(Lookups.Entry::ownerId).contains("agent-0");
    }

    @Test
    void aSlugTakenInAnotherTenantIsTakenTooButItsAgentIsNotNamed() {
        lookups.claim(Lookups.ALL_TENANTS, LookupKind.AGENT_SLUG, "jane-doe-realty", "agent-0", "tenant-b", "unpublished", null);
        fixture.givenNoPriorActivity()
                .when(new RegisterAgent(ID, TENANT, "Jane", "jane@example.com", "jane-doe-realty", true))
                .expectException(conflict("SLUG_TAKEN", Map.of("field", "slug")))
                .expectNoEvents();
    }

    @Test
    void publishingOpensTheSlugAndAnswersTheLatestSequence() {
        slugHeld(false);
        fixture.given(registered(false))
                .when(new PublishAgentProfile(ID, TENANT))
                .expectEvents(new AgentProfilePublished(ID, TENANT))
                .expectResultMessagePayload(1L);
        assertThat(AgentSlugs.published(lookups, "jane-doe-realty"))
                .contains(new AgentSlugs.PublicAgent(ID, TENANT));
    }

    @Test
    void publishingAPublishedProfileEmitsNothing() {
        slugHeld(true);
        fixture.given(registered(false), new AgentProfilePublished(ID, TENANT))
                .when(new PublishAgentProfile(ID, TENANT))
                .expectNoEvents()
                .expectResultMessagePayload(1L);
    }

    @Test
    void unpublishingClosesTheSlugButKeepsIt() {
        slugHeld(true);
        fixture.given(registered(true))
                .when(new UnpublishAgentProfile(ID, TENANT))
                .expectEvents(new AgentProfileUnpublished(ID, TENANT))
                .expectResultMessagePayload(1L);
        assertThat(AgentSlugs.published(lookups, "jane-doe-realty")).isEmpty();
        assertThat(slug("jane-doe-realty")).contains(new Lookups.Entry(ID, TENANT, "unpublished", false));
    }

    @Test
    void unpublishingAnUnpublishedProfileEmitsNothing() {
        fixture.given(registered(false))
                .when(new UnpublishAgentProfile(ID, TENANT))
                .expectNoEvents()
                .expectResultMessagePayload(0L);
    }

    @Test
    void republishingAfterUnpublishingOpensTheSlugAgain() {
        slugHeld(false);
        fixture.given(registered(true), new AgentProfileUnpublished(ID, TENANT))
                .when(new PublishAgentProfile(ID, TENANT))
                .expectEvents(new AgentProfilePublished(ID, TENANT))
                .expectResultMessagePayload(2L);
        assertThat(AgentSlugs.published(lookups, "Jane-Doe-Realty")).isPresent();
    }

    @Test
    void anotherTenantCannotPublish() {
        fixture.given(registered(false))
                .when(new PublishAgentProfile(ID, "tenant-b"))
                .expectException(NotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void anotherTenantCannotUnpublish() {
        fixture.given(registered(true))
                .when(new UnpublishAgentProfile(ID, "tenant-b"))
                .expectException(NotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void unknownAndUnpublishedSlugsLookTheSame() {
        slugHeld(false);
        assertThat(AgentSlugs.published(lookups, "jane-doe-realty")).isEmpty();
        assertThat(AgentSlugs.published(lookups, "nobody")).isEmpty();
        assertThat(AgentSlugs.published(lookups, null)).isEmpty();
        assertThat(AgentSlugs.published(lookups, "x".repeat(65))).isEmpty();
    }


    private static Matcher<Throwable> conflict(String code, Map<String, Object> details) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof ConflictException e && e.code().equals(code) && e.details().equals(details);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("conflict ").appendValue(code).appendText(" with ").appendValue(details);
            }
        };
    }
}
