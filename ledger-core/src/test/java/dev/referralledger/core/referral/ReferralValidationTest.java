package dev.referralledger.core.referral;

import dev.referralledger.core.rules.FieldRules;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.referralledger.core.referral.ReferralFixtures.ID;
import static dev.referralledger.core.referral.ReferralFixtures.TENANT;
import static dev.referralledger.core.referral.ReferralFixtures.violations;

/** Every failing field is reported at once, with a stable code, and nothing is emitted. */
class ReferralValidationTest {

    private static final Advocate PAT = new Advocate("Pat", "pat@example.com", null, null);
    private static final ReferredPerson SAM = new ReferredPerson("Sam", null, "sam@example.com", null);

    private FixtureConfiguration<Referral> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Referral.class);
        // received now: checked where it matters (ReferralReceivedAtTest)
        fixture.registerIgnoredField(ReferralReceived.class, "receivedAt");
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(ReferralFixtures.knownPeople());
    }

    private static CreateReferral with(Advocate referrer, ReferredPerson referred, List<Contact> contacts,
                                       String channel, String type, String notes, BigDecimal value,
                                       String currency, Map<String, Object> metadata) {
        return new CreateReferral(ID, TENANT, referrer, referred, contacts, null, channel, type, notes, value,
                currency, metadata, null, null, null, null, null);
    }

    @Test
    void missingPartiesAreRequired() {
        fixture.givenNoPriorActivity()
                .when(with(null, null, null, null, null, null, null, null, null))
                .expectException(violations("referrer:REQUIRED", "referred:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void referrerNeedsAnIdentityAndReferredNeedsAName() {
        fixture.givenNoPriorActivity()
                .when(with(new Advocate("Pat", " ", null, null), new ReferredPerson(" ", null, null, null),
                        null, null, null, null, null, null, null))
                .expectException(violations("referrer.email:REQUIRED", "referred.firstName:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void emailsAndPhonesAreChecked() {
        fixture.givenNoPriorActivity()
                .when(with(new Advocate("Pat", "pat-at-example.com", "12345", null),
                        new ReferredPerson("Sam", null, "sam@", "4155552671"),
                        null, null, null, null, null, null, null))
                .expectException(violations("referrer.email:INVALID_EMAIL", "referrer.phone:INVALID_PHONE",
                        "referred.email:INVALID_EMAIL", "referred.phone:INVALID_PHONE"))
                .expectNoEvents();
    }

    @Test
    void contactsNeedDistinctEmailsAndOnePrimary() {
        List<Contact> contacts = List.of(
                new Contact("A", "a@example.com", null, true),
                new Contact("B", "A@example.com", null, true),
                new Contact("C", "not-an-email", null, false));
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, contacts, null, null, null, null, null, null))
                .expectException(violations("contacts[1].email:DUPLICATE_CONTACT_EMAIL",
                        "contacts[1].primary:MULTIPLE_PRIMARY_CONTACTS", "contacts[2].email:INVALID_EMAIL"))
                .expectNoEvents();
    }

    @Test
    void channelAndTypeMustBeKnownShapes() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, "carrier-pigeon", "not a type!", null, null, null, null))
                .expectException(violations("channel:UNKNOWN_CHANNEL", "type:INVALID_TYPE"))
                .expectNoEvents();
    }

    @Test
    void notesAreBounded() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, "n".repeat(2001), null, null, null))
                .expectException(violations("notes:TOO_LONG"))
                .expectNoEvents();
    }

    @Test
    void moneyIsNonNegativeInAKnownCurrencyWithoutExtraDecimals() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, null, new BigDecimal("-5"), "XYZ", null))
                .expectException(violations("expectedValue:NEGATIVE_VALUE", "currency:INVALID_CURRENCY"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, null, new BigDecimal("10.001"), "USD", null))
                .expectException(violations("expectedValue:TOO_PRECISE"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, null, new BigDecimal("10"), null, null))
                .expectException(violations("currency:REQUIRED"))
                .expectNoEvents();
    }

    @Test
    void metadataIsBoundedTo8Kilobytes() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, null, null, null, Map.of("blob", "x".repeat(8200))))
                .expectException(violations("metadata:TOO_LARGE"))
                .expectNoEvents();
    }

    @Test
    void valuesThePipelineCannotStoreAreRefused() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, "a\u0000b", new BigDecimal("1000000000000000"), "USD",
                        Map.of("k", List.of("x\u0000"))))
                .expectException(violations("notes:INVALID_CHARACTERS", "expectedValue:TOO_LARGE",
                        "metadata:INVALID_CHARACTERS"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(with(new Advocate("A\ud800B", "pat@example.com", null, null),
                        new ReferredPerson("\u0000", null, null, null), null, null, null, null, null, null, null))
                .expectException(violations("referrer.name:INVALID_CHARACTERS", "referred.firstName:INVALID_CHARACTERS"))
                .expectNoEvents();
    }

    @Test
    void channelDefaultsToApi() {
        fixture.givenNoPriorActivity()
                .when(with(PAT, SAM, null, null, null, null, null, null, null))
                .expectEvents(new ReferralReceived(ID, TENANT, PAT, SAM, List.of(), null, Channel.API, null, null,
                        null, Map.of(), null, ReferralFixtures.PAT_ID, ReferralFixtures.SAM_ID, null, null, null, null, null, null));
    }
}
