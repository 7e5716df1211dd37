package dev.referralledger.core.program;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.reward.RewardMilestone;
import dev.referralledger.core.reward.RewardPolicy;
import dev.referralledger.core.reward.RewardRule;
import dev.referralledger.core.reward.RewardType;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.NotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The program's reward policy: validated, versioned, kept in the lookups for the reward policy saga. */
class RewardPolicyTest {

    private FixtureConfiguration<Program> fixture;
    private InMemoryLookups lookups;

    static final SetRewardPolicy.Rule CASH_50 = new SetRewardPolicy.Rule("cash", new BigDecimal("50"), null, "usd", null,
            new BigDecimal("200"), null);
    static final RewardRule CASH_50_RULE = new RewardRule(RewardType.CASH, new BigDecimal("50.00"), null, "USD", 30,
            new BigDecimal("200.00"), null);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        lookups = new InMemoryLookups();
        fixture.registerInjectableResource(new FieldRules(null));
        fixture.registerInjectableResource(lookups);
    }

    @Test
    void aPolicyBecomesVersionOneAndIsKeptForTheSaga() {
        SetRewardPolicy.Rule referred = new SetRewardPolicy.Rule("COUPON", null, new BigDecimal("7.5"), "USD", 0, null, null);
        fixture.given(ProgramTest.created())
                .when(new SetRewardPolicy(ProgramTest.ID, ProgramTest.TENANT, CASH_50, referred,
                        List.of(new SetRewardPolicy.Milestone(10, new SetRewardPolicy.Rule("GIFT_CARD", new BigDecimal("100"), null, "USD", null, null, null)))))
                .expectResultMessagePayload(1L)
                .expectEvents(new RewardPolicyChanged(ProgramTest.ID, ProgramTest.TENANT, 1, CASH_50_RULE,
                        new RewardRule(RewardType.COUPON, null, new BigDecimal("7.5"), "USD", 0, null, null),
                        List.of(new RewardMilestone(10, new RewardRule(RewardType.GIFT_CARD, new BigDecimal("100.00"), null,
                                "USD", 30, null, null)))));
        RewardPolicy kept = RewardPolicy.at(lookups, ProgramTest.TENANT, ProgramTest.ID, Instant.now()).orElseThrow();
        assertThat(kept.version()).isEqualTo(1);
        assertThat(kept.referrer()).isEqualTo(CASH_50_RULE);
        assertThat(kept.referred().amountFor(new dev.referralledger.core.rules.Money(new BigDecimal("99.99"), "USD")).amount())
                .isEqualByComparingTo("7.49"); // rounded down: never more than promised
    }

    @Test
    void theSamePolicyIsNoNewVersionAndAChangeIsTheNext() {
        RewardPolicyChanged v1 = new RewardPolicyChanged(ProgramTest.ID, ProgramTest.TENANT, 1, CASH_50_RULE, null, List.of());
        fixture.given(ProgramTest.created(), v1)
                .when(new SetRewardPolicy(ProgramTest.ID, ProgramTest.TENANT, CASH_50, null, null))
                .expectNoEvents()
                .expectResultMessagePayload(1L);
        fixture.given(ProgramTest.created(), v1)
                .when(new SetRewardPolicy(ProgramTest.ID, ProgramTest.TENANT,
                        new SetRewardPolicy.Rule("CASH", new BigDecimal("60"), null, "USD", null, null, null), null, null))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        dev.referralledger.core.lookup.Payloads.payload(RewardPolicyChanged.class, e -> e.version() == 2),
                        Matchers.andNoMore())));
    }

    @Test
    void invalidRulesAreAllReported() {
        fixture.given(ProgramTest.created())
                .when(new SetRewardPolicy(ProgramTest.ID, ProgramTest.TENANT,
                        new SetRewardPolicy.Rule("BITCOIN", null, null, null, 4000, new BigDecimal("-1"), null),
                        new SetRewardPolicy.Rule("CASH", new BigDecimal("0"), null, "USD", null, null, null),
                        List.of(new SetRewardPolicy.Milestone(0, null))))
                .expectException(InvalidCommandException.class)
                .expectException(Matchers.predicate(e -> ((InvalidCommandException) e).violations().stream()
                        .map(v -> v.field() + ":" + v.code()).toList().equals(List.of(
                                "referrer.type:UNKNOWN_REWARD_TYPE", "referrer.fixedAmount:REQUIRED",
                                "referrer.currency:REQUIRED", "referrer.holdDays:OUT_OF_RANGE",
                                "referred.fixedAmount:OUT_OF_RANGE",
                                "milestones[0].conversions:OUT_OF_RANGE", "milestones[0].reward:REQUIRED"))));
    }

    @Test
    void anEndedProgramOrAnotherTenantGetsNoPolicy() {
        fixture.given(ProgramTest.created(), new ProgramEnded(ProgramTest.ID, ProgramTest.TENANT))
                .when(new SetRewardPolicy(ProgramTest.ID, ProgramTest.TENANT, CASH_50, null, null))
                .expectException(InvalidTransitionException.class);
        fixture.given(ProgramTest.created())
                .when(new SetRewardPolicy(ProgramTest.ID, "tenant-b", CASH_50, null, null))
                .expectException(NotFoundException.class);
    }
}
