package dev.referralledger.core.referral;

import dev.referralledger.core.rules.FieldRules;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.referralledger.core.referral.ReferralFixtures.ID;
import static dev.referralledger.core.referral.ReferralFixtures.TENANT;
import static dev.referralledger.core.referral.ReferralFixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

/** An import says when the referral was received; any other referral is received when it is recorded. */
class ReferralReceivedAtTest {

    private static final Advocate PAT = new Advocate("Pat", "pat@example.com", null, null);
    private static final ReferredPerson SAM = new ReferredPerson("Sam", null, "sam@example.com", null);

    private FixtureConfiguration<Referral> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Referral.class);
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(ReferralFixtures.knownPeople());
    }

    private static CreateReferral with(String channel, Instant receivedAt) {
        return new CreateReferral(ID, TENANT, PAT, SAM, null, null, channel, null, null, null, null, null, null, null,
                null, null, receivedAt);
    }

    private Instant receivedAtOf(CreateReferral command) {
        Instant[] at = new Instant[1];
        fixture.givenNoPriorActivity().when(command).expectSuccessfulHandlerExecution()
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                new org.hamcrest.CustomTypeSafeMatcher<ReferralReceived>("a ReferralReceived") {
                                    @Override
                                    protected boolean matchesSafely(ReferralReceived e) {
                                        at[0] = e.receivedAt();
                                        return true;
                                    }
                                }),
                        org.axonframework.test.matchers.Matchers.andNoMore()));
        return at[0];
    }

    @Test
    void anImportKeepsWhenTheSourceSystemReceivedTheReferral() {
        Instant then = Instant.parse("2024-03-01T09:30:00Z");
        assertThat(receivedAtOf(with("IMPORT", then))).isEqualTo(then);
    }

    @Test
    void anyOtherReferralIsReceivedNow() {
        Instant before = Instant.now();
        assertThat(receivedAtOf(with(null, null))).isBetween(before, Instant.now());
    }

    @Test
    void onlyAnImportMayNameAReceivedAtAndNeverInTheFuture() {
        fixture.givenNoPriorActivity().when(with("API", Instant.parse("2024-03-01T09:30:00Z")))
                .expectException(violations("receivedAt:IMPORT_ONLY")).expectNoEvents();
        fixture.givenNoPriorActivity().when(with("IMPORT", Instant.now().plus(Duration.ofDays(1))))
                .expectException(violations("receivedAt:IN_FUTURE")).expectNoEvents();
    }
}
