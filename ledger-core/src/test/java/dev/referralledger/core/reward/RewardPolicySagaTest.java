package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.InMemoryLookups;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.referral.ReversalKind;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.Money;
import org.axonframework.test.matchers.Matchers;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.referralledger.core.lookup.Payloads.payload;

class RewardPolicySagaTest {

    static final String TENANT = "tenant-a";
    static final String REFERRAL = "ref-1";
    static final Money DEAL = new Money(new BigDecimal("1000.00"), "USD");

    private SagaTestFixture<RewardPolicySaga> fixture;
    private InMemoryLookups lookups;
    /** What CountConversion answers: the advocate's conversion number. */
    private int conversionNumber = 1;
    private boolean capReached;

    static RewardRule fixed(String amount, RewardType type) {
        return new RewardRule(type, new BigDecimal(amount), null, "USD", 30, null, null);
    }

    static RewardRule percent(String percentage, String currency) {
        return new RewardRule(RewardType.COUPON, null, new BigDecimal(percentage), currency, 14, null, null);
    }

    static ReferralConverted converted(String programId) {
        return new ReferralConverted(REFERRAL, TENANT, "deal-1", DEAL, Instant.now(), programId, "adv-1", "sam-1",
                Channel.API, "agent-1");
    }

    static ConversionReversed reversed(boolean full) {
        return new ConversionReversed(REFERRAL, TENANT, "deal-1", ReversalKind.REFUND, DEAL, full ? new Money(BigDecimal.ZERO, "USD") : DEAL,
                full, null, Instant.now(), "prog-1", "adv-1", Channel.API, "agent-1");
    }

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(RewardPolicySaga.class);
        lookups = new InMemoryLookups();
        fixture.registerResource(lookups);
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof CountConversion) {
                return conversionNumber;
            }
            if (capReached && command instanceof IssueReward issue && issue.side().equals("REFERRER")) {
                throw new ConflictException("REWARD_CAP_REACHED", "cap", Map.of());
            }
            return null;
        });
        RewardPolicy.append(lookups, TENANT, "prog-1", new RewardPolicy(1, 0, fixed("50.00", RewardType.CASH),
                percent("10", "USD"), List.of(new RewardMilestone(1, fixed("25.00", RewardType.GIFT_CARD)),
                new RewardMilestone(5, fixed("100.00", RewardType.GIFT_CARD)))));
    }

    static Matcher<Object> issue(RewardSide side, String amount, String recipient) {
        return payload(IssueReward.class, c -> c.side().equals(side.name()) && c.amount().compareTo(new BigDecimal(amount)) == 0
                && c.recipientId().equals(recipient) && c.rewardId().equals(Reward.idFor(REFERRAL, side))
                && c.policyVersion() == 1 && c.programId().equals("prog-1") && c.advocateId().equals("adv-1"));
    }

    static <T> Matcher<Object> command(Class<T> type, Predicate<T> test) {
        return payload(type, test);
    }

    @Test
    void aConversionIssuesTheReferrerTheReferredAndTheMilestoneReward() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted("prog-1"))
                .expectActiveSagas(1)
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(CountConversion.class, c -> c.advocateId().equals("adv-1") && c.programId().equals("prog-1")),
                        issue(RewardSide.REFERRER, "50", "adv-1"),
                        issue(RewardSide.REFERRED, "100", "sam-1"),
                        issue(RewardSide.MILESTONE, "25", "adv-1"),
                        Matchers.andNoMore())));
    }

    @Test
    void aMilestoneIsIssuedOnlyAtItsConversionNumber() {
        conversionNumber = 2;
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted("prog-1"))
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(CountConversion.class, c -> true),
                        issue(RewardSide.REFERRER, "50", "adv-1"),
                        issue(RewardSide.REFERRED, "100", "sam-1"),
                        Matchers.andNoMore())));
    }

    @Test
    void theVersionInForceAtTheConversionApplies() {
        RewardPolicy.append(lookups, TENANT, "prog-1", new RewardPolicy(2, Instant.now().plusSeconds(3600).toEpochMilli(),
                fixed("999.00", RewardType.CASH), null, List.of()));
        conversionNumber = 2;
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted("prog-1"))
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(CountConversion.class, c -> true),
                        issue(RewardSide.REFERRER, "50", "adv-1"),
                        issue(RewardSide.REFERRED, "100", "sam-1"),
                        Matchers.andNoMore())));
    }

    @Test
    void withoutAProgramOrAPolicyNothingIsIssued() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted(null))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted("prog-without-policy"))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void aPercentageOfADealInAnotherCurrencyIsNoReward() {
        RewardPolicy.append(lookups, TENANT, "prog-1", new RewardPolicy(2, 1, percent("5", "EUR"), null, List.of()));
        fixture.givenNoPriorActivity()
                .whenPublishingA(converted("prog-1"))
                .expectActiveSagas(0)
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(CountConversion.class, c -> true), Matchers.andNoMore())));
    }

    @Test
    void aFullReversalReversesEveryRewardIssuedAndEndsTheSaga() {
        fixture.givenAPublished(converted("prog-1"))
                .whenPublishingA(reversed(true))
                .expectActiveSagas(0)
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(ReverseReward.class, c -> c.rewardId().equals(Reward.idFor(REFERRAL, RewardSide.REFERRER))
                                && c.reason().equals("CONVERSION_REVERSED: REFUND")),
                        command(ReverseReward.class, c -> c.rewardId().equals(Reward.idFor(REFERRAL, RewardSide.REFERRED))),
                        command(ReverseReward.class, c -> c.rewardId().equals(Reward.idFor(REFERRAL, RewardSide.MILESTONE))),
                        Matchers.andNoMore())));
    }

    @Test
    void aPartialReversalLeavesTheRewards() {
        fixture.givenAPublished(converted("prog-1"))
                .whenPublishingA(reversed(false))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();
    }

    @Test
    void aRewardRefusedByItsCapIsNotReversedLater() {
        capReached = true;
        fixture.givenAPublished(converted("prog-1"))
                .whenPublishingA(reversed(true))
                .expectDispatchedCommandsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        command(ReverseReward.class, c -> c.rewardId().equals(Reward.idFor(REFERRAL, RewardSide.REFERRED))),
                        command(ReverseReward.class, c -> c.rewardId().equals(Reward.idFor(REFERRAL, RewardSide.MILESTONE))),
                        Matchers.andNoMore())));
    }
}
