package dev.referralledger.core.person;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonConsentTest {

    private FixtureConfiguration<PersonConsent> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PersonConsent.class);
        lookups = new InMemoryLookups();
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
        fixture.registerInjectableResource(keys);
    }

    /** Keys by person id: present (a key), destroyed (erased). */
    private final java.util.Map<String, Boolean> destroyed = new java.util.HashMap<>();
    private final PersonKeys keys = (tenantId, personId, identifiers, invitationIds) -> {
        boolean known = destroyed.containsKey(personId);
        destroyed.put(personId, true);
        return known;
    };

    @Test
    void erasingAPersonDestroysTheirKeyReleasesTheirLookupsOnceAndNamesNoPersonalData() {
        destroyed.put("p-1", false);
        lookups.claim("t", dev.referralledger.core.lookup.LookupKind.PERSON_EMAIL, "sam@example.com", "p-1", null, null, null);
        lookups.claim("t", dev.referralledger.core.lookup.LookupKind.PERSON_PHONE, "+14155552671", "p-1", null, null, null);
        lookups.claim("t", dev.referralledger.core.lookup.LookupKind.PERSON_EMAIL, "kim@example.com", "p-2", null, null, null);
        fixture.givenNoPriorActivity()
                .when(new ErasePerson("p-1", "t"))
                .expectEvents(new PersonErased("p-1", "t", java.util.List.of(), 2))
                .expectResultMessagePayload(new Erasure("p-1", true, 2));
        assertThat(destroyed).containsEntry("p-1", true);
        assertThat(lookups.find("t", dev.referralledger.core.lookup.LookupKind.PERSON_EMAIL, "sam@example.com")).isEmpty();
        assertThat(lookups.find("t", dev.referralledger.core.lookup.LookupKind.PERSON_EMAIL, "kim@example.com")).isPresent();

        fixture.given(new PersonErased("p-1", "t", java.util.List.of(), 2))
                .when(new ErasePerson("p-1", "t"))
                .expectNoEvents()
                .expectResultMessagePayload(new Erasure("p-1", false, 0));
    }

    @Test
    void aPersonNobodyKnowsIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new ErasePerson("nobody", "t"))
                .expectException(NotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void aPersonOfAnotherTenantIsNotFound() {
        fixture.given(new ConsentRecorded("p-1", "other", ConsentChannel.EMAIL, true))
                .when(new ErasePerson("p-1", "t"))
                .expectException(NotFoundException.class);
    }

    @Test
    void consentIsRecordedPerChannelAndKeptForRewards() {
        fixture.givenNoPriorActivity()
                .when(new RecordConsent("p-1", "t", "email", true))
                .expectEvents(new ConsentRecorded("p-1", "t", ConsentChannel.EMAIL, true));
        assertThat(PersonConsent.consentOf(lookups, "t", "p-1", ConsentChannel.EMAIL)).isEqualTo("granted");
        assertThat(PersonConsent.consentOf(lookups, "t", "p-1", ConsentChannel.SMS)).isNull();
    }

    @Test
    void theSameAnswerAgainRecordsNothingAndAWithdrawalIsRecorded() {
        ConsentRecorded granted = new ConsentRecorded("p-1", "t", ConsentChannel.SMS, true);
        fixture.given(granted).when(new RecordConsent("p-1", "t", "SMS", true)).expectNoEvents();
        fixture.given(granted).when(new RecordConsent("p-1", "t", "SMS", false))
                .expectEvents(new ConsentRecorded("p-1", "t", ConsentChannel.SMS, false));
        assertThat(PersonConsent.consentOf(lookups, "t", "p-1", ConsentChannel.SMS)).isEqualTo("withdrawn");
    }

    @Test
    void badInputAndOtherTenantsAreRefused() {
        fixture.givenNoPriorActivity().when(new RecordConsent("p-1", "t", "FAX", null))
                .expectException(InvalidCommandException.class);
        fixture.given(new ConsentRecorded("p-1", "t", ConsentChannel.SMS, true))
                .when(new RecordConsent("p-1", "other", "SMS", false))
                .expectException(NotFoundException.class);
    }
}
