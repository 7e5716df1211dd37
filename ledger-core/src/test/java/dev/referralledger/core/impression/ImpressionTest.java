package dev.referralledger.core.impression;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.program.ProgramStatus;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.referralledger.core.referral.ReferralFixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

class ImpressionTest {

    private static final String TENANT = "tenant-a";
    private static final Instant AT = Instant.parse("2026-11-20T08:00:00Z");

    private FixtureConfiguration<Impression> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Impression.class);
        lookups = new InMemoryLookups();
        storeTerms(ProgramStatus.ACTIVE);
        lookups.claim(TENANT, LookupKind.REFERRAL_CODE, "ABCD2345", "person-pat", "prog-1", "enr-1", null);
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
    }

    private void storeTerms(ProgramStatus status) {
        new ProgramTerms("Spring", status, List.of(), List.of(), List.of(InvitationType.EMAIL), 90, 20, null)
                .store(lookups, TENANT, "prog-1");
    }

    @Test
    void aCodeResolvesProgramAndAdvocate() {
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, " abcd2345", null, null, "qr", "Library poster 3",
                        "https://shop.example.com/join", "Mozilla/5.0", "h4sh", AT, Map.of("floor", 2)))
                .expectEvents(new ImpressionRecorded("imp-1", TENANT, "prog-1", "person-pat", "ABCD2345",
                        ImpressionSource.QR, "Library poster 3", "https://shop.example.com/join", "Mozilla/5.0", "h4sh",
                        AT, Map.of("floor", 2)));
        var entry = lookups.find(TENANT, LookupKind.IMPRESSION, "imp-1").orElseThrow();
        assertThat(entry.scopeId()).isEqualTo("prog-1");
        assertThat(entry.ownerId()).isEqualTo("person-pat");
        assertThat(entry.detail()).isEqualTo("ABCD2345");
    }

    @Test
    void unknownCodeAndSourceAreFieldErrors() {
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, "NOPE2345", null, null, "billboard", null, "not a url",
                        null, null, AT, null))
                .expectException(violations("source:UNKNOWN_SOURCE", "landingUrl:INVALID_URL",
                        "referralCode:REFERRAL_CODE_NOT_FOUND"))
                .expectNoEvents();
    }

    @Test
    void anImpressionNeedsACodeOrAProgram() {
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, null, null, null, "LINK", null, null, null, null, AT, null))
                .expectException(violations("referralCode:REQUIRED"));
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, null, "prog-x", null, "LINK", null, null, null, null, AT, null))
                .expectException(violations("programId:PROGRAM_NOT_FOUND"));
    }

    @Test
    void aGivenAdvocateMustBeEnrolledInTheProgram() {
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, null, "prog-1", "person-x", "QR", null, null, null, null, AT, null))
                .expectException(violations("advocateId:ADVOCATE_NOT_ENROLLED"));
        lookups.put(TENANT, LookupKind.ENROLLMENT, "prog-1:person-x", "enr-x", "prog-1", "WXYZ2345");
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, null, "prog-1", "person-x", "QR", null, null, null, null, AT, null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aPausedProgramTakesNoImpressions() {
        storeTerms(ProgramStatus.PAUSED);
        fixture.givenNoPriorActivity()
                .when(new RecordImpression("imp-1", TENANT, "ABCD2345", null, null, "QR", null, null, null, null, AT, null))
                .expectException(ConflictException.class)
                .expectExceptionMessage("Program prog-1 is PAUSED and takes no referrals or impressions.")
                .expectNoEvents();
    }
}
