package dev.referralledger.core.reward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One version of a program's reward policy. Every version is kept in the command side's lookups (newest last)
 * by the program command that made it, so that the reward policy saga finds the version that applied when a
 * conversion happened, even when it handles the conversion after a later change.
 *
 * @param effectiveFrom epoch milliseconds from which the version applies
 */
public record RewardPolicy(int version, long effectiveFrom, RewardRule referrer, RewardRule referred,
                           List<RewardMilestone> milestones) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<RewardPolicy>> HISTORY = new TypeReference<>() {
    };

    /** The version that applied at {@code at}; empty when the program had no policy then. */
    public static Optional<RewardPolicy> at(Lookups lookups, String tenantId, String programId, Instant at) {
        List<RewardPolicy> history = history(lookups, tenantId, programId);
        RewardPolicy found = null;
        for (RewardPolicy p : history) {
            if (p.effectiveFrom() <= at.toEpochMilli()) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Records a new version after the ones before it. */
    public static void append(Lookups lookups, String tenantId, String programId, RewardPolicy policy) {
        List<RewardPolicy> history = new ArrayList<>(history(lookups, tenantId, programId));
        history.add(policy);
        try {
            lookups.put(tenantId, LookupKind.REWARD_POLICY, programId, programId, null, JSON.writeValueAsString(history));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<RewardPolicy> history(Lookups lookups, String tenantId, String programId) {
        return lookups.find(tenantId, LookupKind.REWARD_POLICY, programId).map(e -> {
            try {
                return JSON.readValue(e.detail(), HISTORY);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("unreadable reward policy of program " + programId, ex);
            }
        }).orElse(List.of());
    }
}
