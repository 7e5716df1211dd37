package dev.referralledger.core.reward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.program.SetRewardPolicy;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.Violations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    static final int MAX_MILESTONES = 20;

    /** One reward a conversion earns under a policy: its side, the rule that promises it, and its amount. */
    public record Promised(RewardSide side, RewardRule rule, Money amount) {
    }

    /**
     * What this policy promises for one conversion, before caps: the referrer's reward, the referred person's
     * (when the policy has one and the person is known), and the milestone reached by the advocate's
     * {@code conversionNumber}-th conversion in the program (null when not known). A percentage of no deal value
     * (or of a deal in another currency) promises nothing.
     */
    public List<Promised> rewardsFor(Money dealValue, boolean referredPersonKnown, Integer conversionNumber) {
        List<Promised> out = new ArrayList<>();
        promise(out, RewardSide.REFERRER, referrer, dealValue);
        if (referred != null && referredPersonKnown) {
            promise(out, RewardSide.REFERRED, referred, dealValue);
        }
        if (conversionNumber != null) {
            for (RewardMilestone m : milestones) {
                if (m.conversions() == conversionNumber) {
                    promise(out, RewardSide.MILESTONE, m.reward(), dealValue);
                }
            }
        }
        return out;
    }

    private static void promise(List<Promised> out, RewardSide side, RewardRule rule, Money dealValue) {
        Money amount = rule.amountFor(dealValue);
        if (amount != null) {
            out.add(new Promised(side, rule, amount));
        }
    }

    /**
     * Validates a policy as sent (PUT .../reward-policy); {@code prefix} names it in field paths. The answer has
     * version 0 and no start: the program gives it those when it adopts it. Its parts are null when invalid.
     */
    public static RewardPolicy validate(Violations v, FieldRules rules, String prefix, SetRewardPolicy.Rule referrer,
                                        SetRewardPolicy.Rule referred, List<SetRewardPolicy.Milestone> milestones) {
        RewardRule referrerRule = null;
        if (referrer == null) {
            v.add(prefix + "referrer", "REQUIRED", "referrer is required: the advocate's reward.");
        } else {
            referrerRule = RewardRule.validate(v, rules, prefix + "referrer.", referrer);
        }
        RewardRule referredRule = referred == null ? null
                : RewardRule.validate(v, rules, prefix + "referred.", referred);
        return new RewardPolicy(0, 0, referrerRule, referredRule, milestones(v, rules, prefix, milestones));
    }

    /** Milestones by conversion count, each count at most once. */
    private static List<RewardMilestone> milestones(Violations v, FieldRules rules, String prefix,
                                                    List<SetRewardPolicy.Milestone> in) {
        if (in == null) {
            return List.of();
        }
        if (in.size() > MAX_MILESTONES) {
            v.add(prefix + "milestones", "TOO_MANY", "At most " + MAX_MILESTONES + " milestones.");
            return List.of();
        }
        List<RewardMilestone> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            String at = prefix + "milestones[" + i + "].";
            SetRewardPolicy.Milestone m = in.get(i);
            if (m == null || m.conversions() == null) {
                v.add(at + "conversions", "REQUIRED", "A milestone needs its number of conversions.");
                continue;
            }
            int n = rules.range(v, at + "conversions", m.conversions(), 1, 1_000_000, 0);
            if (n > 0 && !seen.add(n)) {
                v.add(at + "conversions", "DUPLICATE_MILESTONE", "Another milestone is at " + n + " conversions.");
            }
            if (m.reward() == null) {
                v.add(at + "reward", "REQUIRED", "A milestone needs its reward.");
                continue;
            }
            RewardRule rule = RewardRule.validate(v, rules, at + "reward.", m.reward());
            if (n > 0 && rule != null) {
                out.add(new RewardMilestone(n, rule));
            }
        }
        return List.copyOf(out);
    }

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
