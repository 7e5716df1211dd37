package dev.referralledger.core.reward;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a hold day lasts: one day in production; demos and tests shorten it
 * ({@code ledger.rewards.hold-day-length}) to watch a reward become READY.
 */
public record RewardHold(Duration dayLength) {

    public static final RewardHold DAYS = new RewardHold(Duration.ofDays(1));

    public Instant until(Instant from, int days) {
        return from.plus(dayLength.multipliedBy(days));
    }
}
