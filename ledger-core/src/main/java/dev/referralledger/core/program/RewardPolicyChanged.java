package dev.referralledger.core.program;

import dev.referralledger.core.reward.RewardMilestone;
import dev.referralledger.core.reward.RewardRule;

import java.util.List;

/**
 * REWARD_POLICY_CHANGED: version {@code version} of the program's reward policy (1, 2, ...) applies to
 * conversions from now on. {@code referred} is null for a one-sided program.
 */
public record RewardPolicyChanged(String programId, String tenantId, int version, RewardRule referrer,
                                  RewardRule referred, List<RewardMilestone> milestones) {
}
