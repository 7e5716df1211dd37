package dev.referralledger.core.reward;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The arithmetic of reward caps, without the counters that hold what was used: the reward aggregate applies it
 * to its locked counters, the what-if report to counters it keeps in memory.
 */
public final class RewardCaps {

    private RewardCaps() {
    }

    /**
     * How much of {@code asked} fits under the caps, given what the advocate already used of them; zero or less
     * when a cap is reached. A null cap is no cap.
     */
    public static BigDecimal room(BigDecimal asked, BigDecimal lifetimeUsed, BigDecimal lifetimeCap,
                                  BigDecimal monthUsed, BigDecimal monthlyCap) {
        BigDecimal room = asked;
        if (lifetimeCap != null) {
            room = room.min(lifetimeCap.subtract(lifetimeUsed));
        }
        if (monthlyCap != null) {
            room = room.min(monthlyCap.subtract(monthUsed));
        }
        return room;
    }

    /** The UTC calendar month whose monthly cap a reward earned at {@code earnedAt} counts against. */
    public static YearMonth month(Instant earnedAt) {
        return YearMonth.from(earnedAt.atOffset(ZoneOffset.UTC));
    }
}
