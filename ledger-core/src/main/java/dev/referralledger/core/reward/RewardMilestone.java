package dev.referralledger.core.reward;

/** An extra reward for the advocate when they reach {@code conversions} conversions in the program. */
public record RewardMilestone(int conversions, RewardRule reward) {
}
