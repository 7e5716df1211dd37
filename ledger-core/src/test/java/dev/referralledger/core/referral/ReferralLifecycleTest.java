package dev.referralledger.core.referral;

import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static dev.referralledger.core.referral.ReferralFixtures.ID;
import static dev.referralledger.core.referral.ReferralFixtures.TENANT;
import static dev.referralledger.core.referral.ReferralFixtures.create;
import static dev.referralledger.core.referral.ReferralFixtures.received;
import static dev.referralledger.core.referral.ReferralFixtures.violations;

class ReferralLifecycleTest {

    private static final Instant CLOSED = Instant.parse("2026-11-01T10:00:00Z");

    private FixtureConfiguration<Referral> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Referral.class);
        fixture.registerInjectableResource(new FieldRules("US"));
        fixture.registerInjectableResource(ReferralFixtures.knownPeople());
    }

    @Test
    void createRecordsNormalizedReferralReceived() {
        fixture.givenNoPriorActivity()
                .when(create())
                .expectSuccessfulHandlerExecution()
                .expectEvents(received());
    }

    @Test
    void contactMovesReceivedToContacted() {
        fixture.given(received())
                .when(new ContactReferral(ID, TENANT, "Called on Monday"))
                .expectEvents(new ReferralContacted(ID, TENANT, "Called on Monday"))
                .expectResultMessagePayload(1L);
    }

    @Test
    void qualifyMovesContactedToQualified() {
        fixture.given(received(), new ReferralContacted(ID, TENANT, null))
                .when(new QualifyReferral(ID, TENANT, null))
                .expectEvents(new ReferralQualified(ID, TENANT, null))
                .expectResultMessagePayload(2L);
    }

    @Test
    void qualifyMaySkipContacted() {
        fixture.given(received())
                .when(new QualifyReferral(ID, TENANT, null))
                .expectEvents(new ReferralQualified(ID, TENANT, null));
    }

    @Test
    void convertCarriesTheDealAndItsExactValue() {
        fixture.given(received(), new ReferralContacted(ID, TENANT, null), new ReferralQualified(ID, TENANT, null))
                .when(new MarkConverted(ID, TENANT, "deal-9", new BigDecimal("1250.5"), "eur", CLOSED))
                .expectEvents(new ReferralConverted(ID, TENANT, "deal-9",
                        new Money(new BigDecimal("1250.50"), "EUR"), CLOSED));
    }

    @Test
    void convertMaySkipEveryOpenStage() {
        fixture.given(received())
                .when(new MarkConverted(ID, TENANT, "deal-9", null, null, null))
                .expectEvents(new ReferralConverted(ID, TENANT, "deal-9", null, null));
    }

    @Test
    void convertRequiresTheResultingDeal() {
        fixture.given(received())
                .when(new MarkConverted(ID, TENANT, " ", null, null, null))
                .expectException(violations("resultingDealId:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void convertRefusesANegativeDealValue() {
        fixture.given(received())
                .when(new MarkConverted(ID, TENANT, "deal-9", new BigDecimal("-1"), "USD", null))
                .expectException(violations("dealValue:NEGATIVE_VALUE"))
                .expectNoEvents();
    }

    @Test
    void loseFromAnyOpenStage() {
        fixture.given(received(), new ReferralQualified(ID, TENANT, null))
                .when(new MarkLost(ID, TENANT, "Chose another agent"))
                .expectEvents(new ReferralLost(ID, TENANT, "Chose another agent"));
    }

    @Test
    void repeatingTheSameTransitionEmitsNothing() {
        fixture.given(received(), new ReferralContacted(ID, TENANT, null))
                .when(new ContactReferral(ID, TENANT, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(1L);
    }

    @Test
    void repeatingConversionWithTheSameDealEmitsNothing() {
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null))
                .when(new MarkConverted(ID, TENANT, "deal-9", null, null, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void repeatingLostEmitsNothing() {
        fixture.given(received(), new ReferralLost(ID, TENANT, "no"))
                .when(new MarkLost(ID, TENANT, "still no"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void convertingAgainWithAnotherDealIsRefused() {
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null))
                .when(new MarkConverted(ID, TENANT, "deal-10", null, null, null))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void movingBackwardsIsRefused() {
        fixture.given(received(), new ReferralQualified(ID, TENANT, null))
                .when(new ContactReferral(ID, TENANT, null))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void convertedIsFinal() {
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null))
                .when(new MarkLost(ID, TENANT, null))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void lostIsFinal() {
        fixture.given(received(), new ReferralLost(ID, TENANT, null))
                .when(new QualifyReferral(ID, TENANT, null))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void anotherTenantCannotSeeOrMoveTheReferral() {
        fixture.given(received())
                .when(new ContactReferral(ID, "tenant-b", null))
                .expectException(NotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void tooLongLossReasonIsRefused() {
        fixture.given(received())
                .when(new MarkLost(ID, TENANT, "x".repeat(2001)))
                .expectException(violations("reason:TOO_LONG"))
                .expectNoEvents();
    }
}
