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
