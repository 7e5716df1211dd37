package dev.referralledger.core.reward;

import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.person.ConsentChannel;
import dev.referralledger.core.person.PersonConsent;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A reward: HELD through the refund window (a deadline kept by the deadline manager, in PostgreSQL) → READY
 * → SENT by a person with a fulfilment reference; or VOIDED before it was sent. A sent reward whose
 * conversion is reversed stays SENT and records a clawback: history is never edited.
 *
 * <p>Caps are enforced when the reward is issued, on counters per advocate, program, side and currency that
 * the command locks in its own transaction: concurrent rewards of one advocate are serialized by the database
 * and never pass a cap together.</p>
 */
@Aggregate
public class Reward {

    /** The deadline that ends the hold period. */
    public static final String HOLD_ENDS = "reward-hold-ends";
    static final int MAX_REFERENCE = 200;
    static final int MAX_REASON = 2000;

    @AggregateIdentifier
    private String rewardId;
    private String tenantId;
    private String recipientId;
    private Money amount;
    private RewardStatus status;
    private String fulfilmentReference;
    private boolean clawedBack;
    private long lastSequence;

    protected Reward() {
        // for event sourcing
    }

    /** The id of the reward the policy issues for a referral and side: a re-delivered conversion finds it taken. */
    public static String idFor(String referralId, RewardSide side) {
        return UUID.nameUUIDFromBytes(("reward:" + referralId + ":" + side).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @CommandHandler
    public Reward(IssueReward cmd, FieldRules rules, Lookups lookups, DeadlineManager deadlines, RewardHold hold) {
        Violations v = new Violations();
        if (FieldRules.isBlank(cmd.tenantId())) {
            v.add("tenantId", "REQUIRED", "tenantId is required.");
        }
        String referralId = rules.text(v, "referralId", cmd.referralId(), 64, false);
        String programId = rules.text(v, "programId", cmd.programId(), 64, false);
        String advocateId = rules.text(v, "advocateId", cmd.advocateId(), 64, false);
        String recipientId = rules.text(v, "recipientId", cmd.recipientId() == null ? advocateId : cmd.recipientId(), 64, true);
        RewardSide side = rules.oneOf(v, "side", cmd.side(), RewardSide.class, RewardSide.REFERRER, "UNKNOWN_SIDE");
        RewardType type = rules.oneOf(v, "type", cmd.type(), RewardType.class, null, "UNKNOWN_REWARD_TYPE");
        Money asked = rules.money(v, "amount", cmd.amount(), "currency", cmd.currency(), true);
        if (asked != null && asked.amount().signum() == 0) {
            v.add("amount", "OUT_OF_RANGE", "amount must be more than 0.");
        }
        int holdDays = rules.range(v, "holdDays", cmd.holdDays(), 0, RewardRule.MAX_HOLD_DAYS, RewardRule.DEFAULT_HOLD_DAYS);
        Money monthlyCap = asked == null ? null : rules.money(v, "monthlyCapPerAdvocate", cmd.monthlyCapPerAdvocate(),
                "currency", asked.currency(), false);
        Money lifetimeCap = asked == null ? null : rules.money(v, "lifetimeCapPerAdvocate", cmd.lifetimeCapPerAdvocate(),
                "currency", asked.currency(), false);
        String reason = rules.text(v, "reason", cmd.reason(), MAX_REASON, false);
        v.throwIfAny();

        Instant now = GenericEventMessage.clock.instant(); // the ledger's clock, which fixtures control
        Instant earnedAt = cmd.earnedAt() == null ? now : cmd.earnedAt();
        Money granted = asked;
        if (programId != null && advocateId != null) {
            granted = withinCaps(lookups, cmd.tenantId(), programId, advocateId, side, asked, earnedAt,
                    monthlyCap == null ? null : monthlyCap.amount(), lifetimeCap == null ? null : lifetimeCap.amount());
            if (granted.amount().compareTo(asked.amount()) < 0) {
                reason = (reason == null ? "" : reason + " ") + "(capped: " + asked.amount().toPlainString() + " "
                        + asked.currency() + " asked)";
            }
        }
        Instant heldUntil = hold.until(now, holdDays);
        apply(new RewardIssued(cmd.rewardId(), cmd.tenantId(), referralId, programId, advocateId, recipientId, side,
                type, granted, cmd.policyVersion(), heldUntil, reason));
        deadlines.schedule(heldUntil, HOLD_ENDS);
    }

    /**
     * What is left of the caps for this reward, after which the counters hold it. Counters always count, so a cap
     * set later also takes the rewards before it into account. Lifetime is locked before monthly, everywhere.
     */
    private static Money withinCaps(Lookups lookups, String tenantId, String programId, String advocateId,
                                    RewardSide side, Money asked, Instant earnedAt, BigDecimal monthlyCap,
                                    BigDecimal lifetimeCap) {
        String lifetimeKey = "reward-cap:" + programId + ":" + advocateId + ":" + side + ":" + asked.currency();
        String monthKey = lifetimeKey + ":" + RewardCaps.month(earnedAt);
        BigDecimal lifetimeUsed = lookups.lockCounter(tenantId, lifetimeKey);
        BigDecimal monthUsed = lookups.lockCounter(tenantId, monthKey);
        BigDecimal room = RewardCaps.room(asked.amount(), lifetimeUsed, lifetimeCap, monthUsed, monthlyCap);
        if (room.signum() <= 0) {
            throw new ConflictException("REWARD_CAP_REACHED", "The advocate reached the "
                    + (lifetimeCap != null && lifetimeUsed.compareTo(lifetimeCap) >= 0 ? "lifetime" : "monthly")
                    + " cap of this reward.", Map.of("advocateId", advocateId, "programId", programId, "side", side.name()));
        }
        lookups.addToCounter(tenantId, lifetimeKey, room);
        lookups.addToCounter(tenantId, monthKey, room);
        return new Money(room.setScale(asked.amount().scale()), asked.currency());
    }

    /** The hold period ended: a reward still HELD may now be fulfilled. */
    @DeadlineHandler(deadlineName = HOLD_ENDS)
    void holdEnded() {
        if (status == RewardStatus.HELD) {
            apply(new RewardReady(rewardId, tenantId));
        }
    }

    /**
     * Marks a READY reward sent and thanks the recipient on the first channel they consented to (or records why
     * not). Sending again with the same reference changes nothing.
     *
     * @return the sequence number of the reward's latest event
     */
    @CommandHandler
    public long handle(MarkRewardSent cmd, FieldRules rules, Lookups lookups) {
        requireTenant(cmd.tenantId());
        Violations v = new Violations();
        String reference = rules.text(v, "fulfilmentReference", cmd.fulfilmentReference(), MAX_REFERENCE, true);
        ConsentChannel channel = FieldRules.isBlank(cmd.thankYouChannel()) ? null
                : rules.oneOf(v, "thankYouChannel", cmd.thankYouChannel(), ConsentChannel.class, null, "UNKNOWN_CHANNEL");
        v.throwIfAny();
        if (status == RewardStatus.SENT) {
            if (reference.equals(fulfilmentReference)) {
                return lastSequence;
            }
            throw new ConflictException("REWARD_ALREADY_SENT", "Reward " + rewardId + " was sent already.",
                    Map.of("fulfilmentReference", fulfilmentReference));
        }
        if (status != RewardStatus.READY) {
            throw new ConflictException("REWARD_NOT_READY", "Reward " + rewardId + " is " + status
                    + "; only a READY reward can be sent.", Map.of("status", status.name()));
        }
        apply(new RewardSent(rewardId, tenantId, reference, GenericEventMessage.clock.instant()));
        thank(lookups, channel == null ? List.of(ConsentChannel.EMAIL, ConsentChannel.SMS) : List.of(channel));
        return lastSequence;
    }

    private void thank(Lookups lookups, List<ConsentChannel> channels) {
        boolean withdrawn = false;
        for (ConsentChannel c : channels) {
            String consent = PersonConsent.consentOf(lookups, tenantId, recipientId, c);
            if ("granted".equals(consent)) {
                apply(new ReferrerThanked(rewardId, tenantId, recipientId, c.name()));
                return;
            }
            withdrawn |= "withdrawn".equals(consent);
        }
        apply(new ThankYouSkipped(rewardId, tenantId, recipientId, withdrawn ? "CONSENT_WITHDRAWN" : "NO_CONSENT"));
    }

    /** A person rejects the reward: voided unless it was sent. Voiding again changes nothing. */
    @CommandHandler
    public long handle(VoidReward cmd, FieldRules rules, DeadlineManager deadlines) {
        requireTenant(cmd.tenantId());
        Violations v = new Violations();
        String reason = rules.text(v, "reason", cmd.reason(), MAX_REASON, false);
        v.throwIfAny();
        if (status == RewardStatus.VOIDED) {
            return lastSequence;
        }
        if (status == RewardStatus.SENT) {
            throw new ConflictException("REWARD_ALREADY_SENT", "Reward " + rewardId
                    + " was sent; a sent reward is clawed back when its conversion is reversed, never voided.",
                    Map.of("status", status.name()));
        }
        apply(new RewardVoided(rewardId, tenantId, reason == null ? "REJECTED" : "REJECTED: " + reason));
        deadlines.cancelAllWithinScope(HOLD_ENDS);
        return lastSequence;
    }

    /** The conversion was reversed in full: void what was not sent, claw back what was (once). */
    @CommandHandler
    public long handle(ReverseReward cmd, DeadlineManager deadlines) {
        requireTenant(cmd.tenantId());
        String reason = cmd.reason() == null ? "CONVERSION_REVERSED" : cmd.reason();
        if (status == RewardStatus.HELD || status == RewardStatus.READY) {
            apply(new RewardVoided(rewardId, tenantId, reason));
            deadlines.cancelAllWithinScope(HOLD_ENDS);
        } else if (status == RewardStatus.SENT && !clawedBack) {
            apply(new RewardClawbackRecorded(rewardId, tenantId, amount, reason));
        }
        return lastSequence;
    }

    @EventSourcingHandler
    void on(RewardIssued e, @SequenceNumber long sequence) {
        rewardId = e.rewardId();
        tenantId = e.tenantId();
        recipientId = e.recipientId();
        amount = e.amount();
        status = RewardStatus.HELD;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(RewardReady e, @SequenceNumber long sequence) {
        status = RewardStatus.READY;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(RewardSent e, @SequenceNumber long sequence) {
        status = RewardStatus.SENT;
        fulfilmentReference = e.fulfilmentReference();
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(RewardVoided e, @SequenceNumber long sequence) {
        status = RewardStatus.VOIDED;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(RewardClawbackRecorded e, @SequenceNumber long sequence) {
        clawedBack = true;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferrerThanked e, @SequenceNumber long sequence) {
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ThankYouSkipped e, @SequenceNumber long sequence) {
        lastSequence = sequence;
    }

    /** A reward of another tenant answers exactly like a reward that does not exist. */
    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new NotFoundException("Reward", rewardId);
        }
    }
}
