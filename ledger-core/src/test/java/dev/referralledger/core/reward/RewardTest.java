package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import static dev.referralledger.core.lookup.Payloads.onlyEvent;
import static org.assertj.core.api.Assertions.assertThat;

class RewardTest {

    static final String ID = "reward-1";
    static final String TENANT = "tenant-a";
    static final Money FIFTY = new Money(new BigDecimal("50.00"), "USD");

    private FixtureConfiguration<Reward> fixture;
    private InMemoryLookups lookups;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Reward.class);
        lookups = new InMemoryLookups();
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
        fixture.registerInjectableResource(RewardHold.DAYS);
    }

    static IssueReward issue(String id, BigDecimal amount, BigDecimal monthlyCap) {
        return new IssueReward(id, TENANT, "ref-1", "prog-1", "adv-1", null, "REFERRER", "cash", amount, "USD", 30, 2,
                Instant.parse("2026-11-10T10:00:00Z"), monthlyCap, null, "Referral reward");
    }

    static RewardIssued issued() {
        return new RewardIssued(ID, TENANT, "ref-1", "prog-1", "adv-1", "adv-1", RewardSide.REFERRER, RewardType.CASH,
                FIFTY, 2, Instant.parse("2026-12-10T10:00:00Z"), "Referral reward");
    }

    @Test
    void anIssuedRewardIsHeldUntilItsHoldPeriodEnds() {
        fixture.givenNoPriorActivity()
                .when(issue(ID, new BigDecimal("50"), null))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(onlyEvent(RewardIssued.class, e -> e.amount().equals(FIFTY)
                        && e.recipientId().equals("adv-1") && e.policyVersion() == 2 && e.type() == RewardType.CASH
                        && e.heldUntil().isAfter(Instant.now().plus(Duration.ofDays(29)))))
                .expectScheduledDeadlineWithName(Duration.ofDays(30), Reward.HOLD_ENDS);
    }

    @Test
    void whenTheHoldEndsTheRewardIsReady() {
        fixture.givenCommands(issue(ID, new BigDecimal("50"), null))
                .whenTimeElapses(Duration.ofDays(31))
                .expectTriggeredDeadlinesWithName(Reward.HOLD_ENDS)
                .expectEvents(new RewardReady(ID, TENANT));
    }

    @Test
    void aVoidedRewardDoesNotBecomeReady() {
        fixture.givenCommands(issue(ID, new BigDecimal("50"), null), new VoidReward(ID, TENANT, null))
                .whenTimeElapses(Duration.ofDays(31))
                .expectNoScheduledDeadlines()
                .expectNoEvents();
    }

    @Test
    void aSentRewardThanksTheRecipientWhoConsented() {
        lookups.put(TENANT, LookupKind.PERSON_CONSENT, "adv-1:SMS", "adv-1", null, "granted");
        fixture.given(issued(), new RewardReady(ID, TENANT))
                .when(new MarkRewardSent(ID, TENANT, " GC-1234 ", null))
                .expectResultMessagePayload(3L)
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        dev.referralledger.core.lookup.Payloads.payload(RewardSent.class,
                                e -> e.fulfilmentReference().equals("GC-1234")),
                        Matchers.equalTo(new ReferrerThanked(ID, TENANT, "adv-1", "SMS")),
                        Matchers.andNoMore())));
    }

    @Test
    void withoutConsentTheThankYouIsSkippedWithTheReason() {
        lookups.put(TENANT, LookupKind.PERSON_CONSENT, "adv-1:EMAIL", "adv-1", null, "withdrawn");
        fixture.given(issued(), new RewardReady(ID, TENANT))
                .when(new MarkRewardSent(ID, TENANT, "GC-1", "EMAIL"))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        org.hamcrest.Matchers.anything(),
                        Matchers.equalTo(new ThankYouSkipped(ID, TENANT, "adv-1", "CONSENT_WITHDRAWN")),
                        Matchers.andNoMore())));
        fixture.given(issued(), new RewardReady(ID, TENANT))
                .when(new MarkRewardSent(ID, TENANT, "GC-1", "SMS"))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        org.hamcrest.Matchers.anything(),
                        Matchers.equalTo(new ThankYouSkipped(ID, TENANT, "adv-1", "NO_CONSENT")),
                        Matchers.andNoMore())));
    }

    @Test
    void aHeldRewardCannotBeSentAndASentOneOnlyOnce() {
        fixture.given(issued())
                .when(new MarkRewardSent(ID, TENANT, "GC-1", null))
                .expectException(ConflictException.class)
                .expectExceptionMessage(Matchers.predicate(m -> m.toString().contains("HELD")));
        fixture.given(issued(), new RewardReady(ID, TENANT), new RewardSent(ID, TENANT, "GC-1", Instant.now()))
                .when(new MarkRewardSent(ID, TENANT, "GC-1", null))
                .expectNoEvents()
                .expectResultMessagePayload(2L);
        fixture.given(issued(), new RewardReady(ID, TENANT), new RewardSent(ID, TENANT, "GC-1", Instant.now()))
                .when(new MarkRewardSent(ID, TENANT, "GC-2", null))
                .expectException(ConflictException.class);
        fixture.given(issued(), new RewardReady(ID, TENANT))
                .when(new MarkRewardSent(ID, TENANT, " ", "FAX"))
                .expectException(InvalidCommandException.class);
    }

    @Test
    void aPersonVoidsARewardNotSentYet() {
        fixture.given(issued(), new RewardReady(ID, TENANT))
                .when(new VoidReward(ID, TENANT, "Fraud"))
                .expectEvents(new RewardVoided(ID, TENANT, "REJECTED: Fraud"));
        fixture.given(issued(), new RewardVoided(ID, TENANT, "REJECTED"))
                .when(new VoidReward(ID, TENANT, null))
                .expectNoEvents();
        fixture.given(issued(), new RewardReady(ID, TENANT), new RewardSent(ID, TENANT, "GC-1", Instant.now()))
                .when(new VoidReward(ID, TENANT, null))
                .expectException(ConflictException.class);
        fixture.given(issued())
                .when(new VoidReward(ID, "tenant-b", null))
                .expectException(NotFoundException.class);
    }

    @Test
    void aReversalVoidsAnUnsentRewardAndClawsBackASentOneOnce() {
        fixture.given(issued())
                .when(new ReverseReward(ID, TENANT, "CONVERSION_REVERSED: REFUND"))
                .expectEvents(new RewardVoided(ID, TENANT, "CONVERSION_REVERSED: REFUND"));
        fixture.given(issued(), new RewardReady(ID, TENANT), new RewardSent(ID, TENANT, "GC-1", Instant.now()))
                .when(new ReverseReward(ID, TENANT, "CONVERSION_REVERSED: CHARGEBACK"))
                .expectEvents(new RewardClawbackRecorded(ID, TENANT, FIFTY, "CONVERSION_REVERSED: CHARGEBACK"));
        fixture.given(issued(), new RewardReady(ID, TENANT), new RewardSent(ID, TENANT, "GC-1", Instant.now()),
                        new RewardClawbackRecorded(ID, TENANT, FIFTY, "CONVERSION_REVERSED: REFUND"))
                .when(new ReverseReward(ID, TENANT, "CONVERSION_REVERSED: REFUND"))
                .expectNoEvents();
    }

    @Test
    void theMonthlyCapReducesThenRefusesRewards() {
        fixture.givenNoPriorActivity()
                .when(issue("r1", new BigDecimal("100"), new BigDecimal("150")))
                .expectEventsMatching(onlyEvent(RewardIssued.class, e -> e.amount().amount().compareTo(new BigDecimal("100")) == 0));
        fixture.givenNoPriorActivity()
                .when(issue("r2", new BigDecimal("100"), new BigDecimal("150")))
                .expectEventsMatching(onlyEvent(RewardIssued.class, e -> e.amount().equals(FIFTY)
                        && e.reason().contains("capped")));
        fixture.givenNoPriorActivity()
                .when(issue("r3", new BigDecimal("100"), new BigDecimal("150")))
                .expectException(ConflictException.class)
                .expectExceptionMessage(Matchers.predicate(m -> m.toString().contains("monthly cap")));
        // another month has its own room
        fixture.givenNoPriorActivity()
                .when(new IssueReward("r4", TENANT, "ref-4", "prog-1", "adv-1", null, "REFERRER", "CASH",
                        new BigDecimal("100"), "USD", 30, 2, Instant.parse("2026-12-01T00:00:00Z"),
                        new BigDecimal("150"), null, null))
                .expectSuccessfulHandlerExecution();
        assertThat(lookups.lockCounter(TENANT, "reward-cap:prog-1:adv-1:REFERRER:USD")).isEqualByComparingTo("250");
    }

    @Test
    void invalidRewardsAreRefusedFieldByField() {
        fixture.givenNoPriorActivity()
                .when(new IssueReward(ID, TENANT, null, null, null, null, "SIDEWAYS", "BITCOIN", new BigDecimal("1.001"),
                        "USD", -1, null, null, null, null, null))
                .expectException(InvalidCommandException.class)
                .expectException(Matchers.predicate(e -> ((InvalidCommandException) e).violations().stream()
                        .map(v -> v.field() + ":" + v.code()).toList().containsAll(java.util.List.of("recipientId:REQUIRED",
                                "side:UNKNOWN_SIDE", "type:UNKNOWN_REWARD_TYPE", "amount:TOO_PRECISE", "holdDays:OUT_OF_RANGE"))));
    }
}
