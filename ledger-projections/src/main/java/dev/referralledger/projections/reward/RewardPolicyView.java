package dev.referralledger.projections.reward;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A program's current reward policy: {@code referrer}, {@code referred} (or null) and {@code milestones}. */
public record RewardPolicyView(String programId, int version, JsonNode referrer, JsonNode referred,
                               JsonNode milestones, Instant changedAt, long programVersion) {
}
