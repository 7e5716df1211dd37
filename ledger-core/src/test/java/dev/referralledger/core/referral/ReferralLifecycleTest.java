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
        // received now: checked where it matters (ReferralReceivedAtTest)
        fixture.registerIgnoredField(ReferralReceived.class, "receivedAt");
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
                        new Money(new BigDecimal("1250.50"), "EUR"), CLOSED, null, ReferralFixtures.PAT_ID,
                        ReferralFixtures.SAM_ID, Channel.PUBLIC_PROFILE, "agent-7"));
    }

    @Test
    void convertMaySkipEveryOpenStage() {
        fixture.given(received())
                .when(new MarkConverted(ID, TENANT, "deal-9", null, null, null))
                .expectEvents(new ReferralConverted(ID, TENANT, "deal-9", null, null, null, ReferralFixtures.PAT_ID,
                        ReferralFixtures.SAM_ID, Channel.PUBLIC_PROFILE, "agent-7"));
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
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null, null, null, null, null, null))
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
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null, null, null, null, null, null))
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
        fixture.given(received(), new ReferralConverted(ID, TENANT, "deal-9", null, null, null, null, null, null, null))
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

    private static ReferralConverted converted(String value) {
        return new ReferralConverted(ID, TENANT, "deal-9", value == null ? null : new Money(new BigDecimal(value), "USD"),
                CLOSED, "prog-1", ReferralFixtures.PAT_ID, ReferralFixtures.SAM_ID, Channel.API, null);
    }

    @Test
    void aPartialRefundLeavesTheRestOfTheDeal() {
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        fixture.given(received(), converted("1000.00"))
                .when(new ReverseConversion(ID, TENANT, "refund", new BigDecimal("250"), "usd", "One item returned", at))
                .expectEvents(new ConversionReversed(ID, TENANT, "deal-9", ReversalKind.REFUND,
                        new Money(new BigDecimal("250.00"), "USD"), new Money(new BigDecimal("750.00"), "USD"), false,
                        "One item returned", at, null, ReferralFixtures.PAT_ID, Channel.PUBLIC_PROFILE, "agent-7"))
                .expectResultMessagePayload(2L);
    }

    @Test
    void aFullReversalTakesWhatIsLeftAndThenNothingMore() {
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        ConversionReversed partial = new ConversionReversed(ID, TENANT, "deal-9", ReversalKind.REFUND,
                new Money(new BigDecimal("250.00"), "USD"), new Money(new BigDecimal("750.00"), "USD"), false, null, at,
                "prog-1", ReferralFixtures.PAT_ID, Channel.API, null);
        fixture.given(received(), converted("1000.00"), partial)
                .when(new ReverseConversion(ID, TENANT, "CHARGEBACK", null, null, null, at))
                .expectEvents(new ConversionReversed(ID, TENANT, "deal-9", ReversalKind.CHARGEBACK,
                        new Money(new BigDecimal("750.00"), "USD"), new Money(new BigDecimal("0.00"), "USD"), true, null, at,
                        null, ReferralFixtures.PAT_ID, Channel.PUBLIC_PROFILE, "agent-7"));
        fixture.given(received(), converted("1000.00"), partial)
                .when(new ReverseConversion(ID, TENANT, "REFUND", new BigDecimal("750.01"), "USD", null, at))
                .expectException(violations("amount:EXCEEDS_REMAINING"));
        fixture.given(received(), converted(null), new ConversionReversed(ID, TENANT, "deal-9", ReversalKind.REFUND,
                        null, null, true, null, at, null, null, null, null))
                .when(new ReverseConversion(ID, TENANT, null, null, null, null, at))
                .expectException(dev.referralledger.core.rules.ConflictException.class);
    }

    @Test
    void onlyAConvertedReferralCanBeReversed() {
        fixture.given(received())
                .when(new ReverseConversion(ID, TENANT, "REFUND", null, null, null, null))
                .expectException(InvalidTransitionException.class)
                .expectNoEvents();
        fixture.given(received(), converted("10.00"))
                .when(new ReverseConversion(ID, TENANT, "REFUND", new BigDecimal("1"), "EUR", null, null))
                .expectException(violations("currency:CURRENCY_MISMATCH"));
    }
}
