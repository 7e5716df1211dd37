package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.referral.ConversionReversed;
import dev.referralledger.core.referral.ReferralConverted;
import dev.referralledger.core.rules.LedgerRuleException;
import dev.referralledger.core.rules.Money;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The reward policy, one saga per converted referral: turns {@link ReferralConverted} into {@link IssueReward}
 * commands under the program's policy version of the moment of conversion (referrer, optional referred person,
 * milestone), and a full {@link ConversionReversed} into {@link ReverseReward} for each of them.
 *
 * <p>Reward ids are derived from the referral and side, so a re-delivered conversion finds its rewards issued
 * and issues nothing twice. Caps and milestone counts are decided by the commands, in their own transactions,
 * so that concurrent conversions are serialized by the database. A partial reversal leaves the rewards as they
 * are: rewards follow the conversion as a whole.</p>
 */
@Saga
@ProcessingGroup(RewardPolicySaga.PROCESSING_GROUP)
public class RewardPolicySaga {

    public static final String PROCESSING_GROUP = "reward-policy";
    private static final Logger log = LoggerFactory.getLogger(RewardPolicySaga.class);

    private String referralId;
    private String tenantId;
    private List<String> rewardIds = new ArrayList<>();

    @StartSaga
    @SagaEventHandler(associationProperty = "referralId")
    public void on(ReferralConverted e, @Timestamp Instant at, CommandGateway commands, Lookups lookups) {
        referralId = e.referralId();
        tenantId = e.tenantId();
        if (e.programId() == null || e.advocateId() == null) {
            SagaLifecycle.end(); // no program, no policy
            return;
        }
        RewardPolicy policy = RewardPolicy.at(lookups, tenantId, e.programId(), at).orElse(null);
        if (policy == null) {
            SagaLifecycle.end();
            return;
        }
        Integer number = send(commands, new CountConversion(tenantId, referralId, e.programId(), e.advocateId()));
        for (RewardPolicy.Promised promised : policy.rewardsFor(e.dealValue(), e.referredPersonId() != null, number)) {
            switch (promised.side()) {
                case REFERRER -> issue(commands, e, at, policy, promised, e.advocateId(), "Referral reward");
                case REFERRED -> issue(commands, e, at, policy, promised, e.referredPersonId(),
                        "Reward for being referred");
                case MILESTONE -> issue(commands, e, at, policy, promised, e.advocateId(),
                        "Milestone: " + number + " conversions");
            }
        }
        if (rewardIds.isEmpty()) {
            SagaLifecycle.end();
        }
    }

    /** Only a full reversal takes rewards back: voided when not sent, clawed back when sent. */
    @SagaEventHandler(associationProperty = "referralId")
    public void on(ConversionReversed e, CommandGateway commands) {
        if (!e.full()) {
            return;
        }
        for (String rewardId : rewardIds) {
            try {
                send(commands, new ReverseReward(rewardId, tenantId, "CONVERSION_REVERSED: " + e.kind()));
            } catch (AggregateNotFoundException gone) {
                log.warn("reward {} of referral {} not found to reverse", rewardId, referralId);
            }
        }
        SagaLifecycle.end();
    }

    private void issue(CommandGateway commands, ReferralConverted e, Instant at, RewardPolicy policy,
                       RewardPolicy.Promised promised, String recipientId, String reason) {
        RewardSide side = promised.side();
        RewardRule rule = promised.rule();
        Money amount = promised.amount();
        String rewardId = Reward.idFor(referralId, side);
        try {
            send(commands, new IssueReward(rewardId, tenantId, referralId, e.programId(), e.advocateId(),
                    recipientId, side.name(), rule.type().name(), amount.amount(), amount.currency(), rule.holdDays(),
                    policy.version(), at, rule.monthlyCapPerAdvocate(), rule.lifetimeCapPerAdvocate(),
                    reason + " (policy v" + policy.version() + ")"));
            rewardIds.add(rewardId);
        } catch (LedgerRuleException refused) {
            // e.g. REWARD_CAP_REACHED: the policy promises nothing more to this advocate
            log.info("no {} reward for referral {}: {}", side, referralId, refused.getMessage());
        } catch (RuntimeException failed) {
            if (!isDuplicate(failed)) {
                throw failed; // the processor retries the conversion: what was issued is found issued
            }
            // issued by an earlier delivery of this conversion
            if (!rewardIds.contains(rewardId)) {
                rewardIds.add(rewardId);
            }
        }
    }

    /**
     * The reward's stream exists already: its first event collided with the one stored before (unique key), which
     * the event store reports as Axon's creation or concurrency exception.
     */
    public static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AggregateStreamCreationException || t instanceof ConcurrencyException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Sends a command in a transaction of its own, on another thread: joined to the saga's event transaction, a
     * refused reward (a cap reached) or an already issued one would roll back the saga's own progress, and the
     * processor would retry the conversion forever. A command that committed is never undone by the saga failing
     * afterwards: re-delivery finds it done.
     */
    private static <R> R send(CommandGateway commands, Object command) {
        try {
            return CompletableFuture.supplyAsync(() -> commands.<R>sendAndWait(command), OWN_TRANSACTION).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static final Executor OWN_TRANSACTION = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reward-policy-command");
        t.setDaemon(true);
        return t;
    });

    // for the saga store's serializer
    public String getReferralId() {
        return referralId;
    }

    public void setReferralId(String referralId) {
        this.referralId = referralId;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public List<String> getRewardIds() {
        return rewardIds;
    }

    public void setRewardIds(List<String> rewardIds) {
        this.rewardIds = rewardIds;
    }
}
