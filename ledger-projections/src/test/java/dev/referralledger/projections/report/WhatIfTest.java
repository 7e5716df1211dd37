package dev.referralledger.projections.report;

import dev.referralledger.core.reward.RewardMilestone;
import dev.referralledger.core.reward.RewardPolicy;
import dev.referralledger.core.reward.RewardRule;
import dev.referralledger.core.reward.RewardSide;
import dev.referralledger.core.reward.RewardType;
import dev.referralledger.core.rules.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The what-if arithmetic without a database: credit by touch, milestones, monthly caps, the period. */
class WhatIfTest {

    private static final Instant T = Instant.parse("2026-10-30T12:00:00Z");

    private static Money usd(String amount) {
        return new Money(new BigDecimal(amount), "USD");
    }

    @Test
    void lastTouchCanCreditAReferralOtherThanTheOneThatConverted() {
        WhatIf w = new WhatIf(new WhatIfReport("t", null, T.plusSeconds(3600), null,
                WhatIfReport.Attribution.LAST_TOUCH, null));
        w.touch(new WhatIf.Touch("r-a", "a", "p1", "sam", T, 1));
        w.touch(new WhatIf.Touch("r-b", "b", "p2", "sam", T.plusSeconds(10), 2));
        w.touch(new WhatIf.Touch("r-late", "c", "p2", "sam", T.plusSeconds(100), 4));
        w.conversion(new WhatIf.Conversion("r-a", T.plusSeconds(50), 3, usd("100"), "a", "p1", "sam"));
        WhatIfResult r = w.result(Map.of("r-a", List.of(new WhatIf.Issued("r-a", RewardSide.REFERRER, usd("5")))));
        assertThat(r.moved()).singleElement().satisfies(m -> {
            assertThat(m.whatIfReferralId()).as("a referral made after the conversion is no touch").isEqualTo("r-b");
            assertThat(m.whatIfAdvocateId()).isEqualTo("b");
        });
        WhatIfResult.TotalRow total = r.totals().get(0);
        assertThat(total.whatIf().rewards()).as("no policy given: the issued rewards follow the credit")
                .isEqualByComparingTo("5");
        assertThat(total.difference().conversions()).isZero();
    }

    @Test
    void aProposedPolicyCountsEarlierConversionsForMilestonesAndMonthlyCaps() {
        RewardRule tenDollars = new RewardRule(RewardType.CASH, new BigDecimal("10"), null, "USD", 30,
                new BigDecimal("25"), null);
        RewardPolicy policy = new RewardPolicy(0, 0, tenDollars, null, List.of(new RewardMilestone(3,
                new RewardRule(RewardType.GIFT_CARD, new BigDecimal("7"), null, "USD", 30, null, null))));
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        WhatIf w = new WhatIf(new WhatIfReport("t", from, from.plusSeconds(86400), null, null, policy));
        // two in October (before the period), then two in November
        w.conversion(new WhatIf.Conversion("r1", T, 1, null, "a", "p", null));
        w.conversion(new WhatIf.Conversion("r2", T.plusSeconds(1), 2, null, "a", "p", null));
        w.conversion(new WhatIf.Conversion("r3", from.plusSeconds(1), 3, null, "a", "p", null));
        w.conversion(new WhatIf.Conversion("r4", from.plusSeconds(2), 4, null, "a", "p", null));
        w.conversion(new WhatIf.Conversion("r5", from.plusSeconds(3), 5, null, "a", "p", null));
        WhatIfResult r = w.result(Map.of());
        assertThat(r.conversions()).isEqualTo(3);
        WhatIfResult.AdvocateRow rewards = r.advocates().stream().filter(a -> "USD".equals(a.currency()))
                .findFirst().orElseThrow();
        // November: 10 + 7 (third conversion), 10, then 5 left of the monthly cap of 25
        assertThat(rewards.whatIf().rewards()).isEqualByComparingTo("32");
        assertThat(rewards.actual().rewards()).isEqualByComparingTo("0");
        assertThat(rewards.difference().rewards()).isEqualByComparingTo("32");
    }
}
