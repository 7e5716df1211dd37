package dev.referralledger.core.program;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import dev.referralledger.core.reward.RewardMilestone;
import dev.referralledger.core.reward.RewardPolicy;
import dev.referralledger.core.reward.RewardRule;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A referral program (campaign): its terms, and whether it takes referrals (ACTIVE → PAUSED ⇄ ACTIVE → ENDED).
 * Every change also refreshes the program's terms in the command side's lookups, where referral, impression
 * and enrollment commands read them in their own transaction.
 */
@Aggregate
public class Program {

    public static final int DEFAULT_ATTRIBUTION_WINDOW_DAYS = 90;
    public static final int DEFAULT_VELOCITY_LIMIT_PER_HOUR = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    @AggregateIdentifier
    private String programId;
    private String tenantId;
    private ProgramTerms terms;
    private long lastSequence;
    private RewardPolicyChanged rewardPolicy;
    private long rewardPolicySequence = -1;

    protected Program() {
        // for event sourcing
    }

    @CommandHandler
    public Program(CreateProgram cmd, FieldRules rules, Lookups lookups) {
        Violations v = new Violations();
        String name = rules.text(v, "name", cmd.name(), FieldRules.MAX_NAME, true);
        String slug = rules.slug(v, "slug", cmd.slug(), true);
        ProgramTerms t = terms(v, rules, name, ProgramStatus.ACTIVE, cmd.allowedChannels(), cmd.allowedTypes(),
                cmd.invitationTypes(), cmd.attributionWindowDays(), cmd.velocityLimitPerHour(), cmd.landingUrl(), null);
        v.throwIfAny();
        Lookups.Entry held = lookups.claim(cmd.tenantId(), LookupKind.PROGRAM_SLUG, slug, cmd.programId(), null, null, null);
        if (!held.claimedNow()) {
            throw new ConflictException("SLUG_TAKEN", "Another program already uses the slug " + slug + ".",
                    Map.of("field", "slug", "programId", held.ownerId()));
        }
        t.store(lookups, cmd.tenantId(), cmd.programId());
        String campaignToken = "cmp_" + HexFormat.of().formatHex(bytes(12));
        apply(new ProgramCreated(cmd.programId(), cmd.tenantId(), t.name(), slug, campaignToken, t.allowedChannels(),
                t.allowedTypes(), t.invitationTypes(), t.attributionWindowDays(), t.velocityLimitPerHour(), t.landingUrl()));
    }

    @CommandHandler
    public long handle(UpdateProgram cmd, FieldRules rules, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (terms.status() == ProgramStatus.ENDED) {
            throw new InvalidTransitionException(ProgramStatus.ENDED.name(), "UPDATED");
        }
        Violations v = new Violations();
        String name = cmd.name() == null ? terms.name() : rules.text(v, "name", cmd.name(), FieldRules.MAX_NAME, true);
        ProgramTerms t = terms(v, rules, name, terms.status(), cmd.allowedChannels(), cmd.allowedTypes(),
                cmd.invitationTypes(), cmd.attributionWindowDays(), cmd.velocityLimitPerHour(), cmd.landingUrl(), terms);
        v.throwIfAny();
        if (!t.equals(terms)) {
            t.store(lookups, tenantId, programId);
            apply(new ProgramUpdated(programId, tenantId, t.name(), t.allowedChannels(), t.allowedTypes(),
                    t.invitationTypes(), t.attributionWindowDays(), t.velocityLimitPerHour(), t.landingUrl()));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(PauseProgram cmd, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (moveTo(ProgramStatus.PAUSED, lookups)) {
            apply(new ProgramPaused(programId, tenantId));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(ResumeProgram cmd, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (moveTo(ProgramStatus.ACTIVE, lookups)) {
            apply(new ProgramResumed(programId, tenantId));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(EndProgram cmd, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (moveTo(ProgramStatus.ENDED, lookups)) {
            apply(new ProgramEnded(programId, tenantId));
        }
        return lastSequence;
    }

    /**
     * Sets the reward policy. A policy equal to the current one records nothing; any other becomes the next
     * version, kept in the lookups for the reward policy saga from now on.
     *
     * @return the sequence number of the event that set the current policy
     */
    @CommandHandler
    public long handle(SetRewardPolicy cmd, FieldRules rules, Lookups lookups) {
        requireTenant(cmd.tenantId());
        if (terms.status() == ProgramStatus.ENDED) {
            throw new InvalidTransitionException(ProgramStatus.ENDED.name(), "REWARD_POLICY_CHANGED");
        }
        Violations v = new Violations();
        RewardPolicy proposed = RewardPolicy.validate(v, rules, "", cmd.referrer(), cmd.referred(), cmd.milestones());
        v.throwIfAny();
        RewardRule referrer = proposed.referrer();
        RewardRule referred = proposed.referred();
        List<RewardMilestone> milestones = proposed.milestones();
        if (rewardPolicy != null && referrer.equals(rewardPolicy.referrer())
                && java.util.Objects.equals(referred, rewardPolicy.referred())
                && milestones.equals(rewardPolicy.milestones())) {
            return rewardPolicySequence;
        }
        int version = rewardPolicy == null ? 1 : rewardPolicy.version() + 1;
        RewardPolicy.append(lookups, tenantId, programId,
                new RewardPolicy(version, Instant.now().toEpochMilli(), referrer, referred, milestones));
        apply(new RewardPolicyChanged(programId, tenantId, version, referrer, referred, milestones));
        return rewardPolicySequence;
    }

    @EventSourcingHandler
    void on(RewardPolicyChanged e, @SequenceNumber long sequence) {
        rewardPolicy = e;
        rewardPolicySequence = sequence;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ProgramCreated e, @SequenceNumber long sequence) {
        programId = e.programId();
        tenantId = e.tenantId();
        terms = new ProgramTerms(e.name(), ProgramStatus.ACTIVE, e.allowedChannels(), e.allowedTypes(),
                e.invitationTypes(), e.attributionWindowDays(), e.velocityLimitPerHour(), e.landingUrl());
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ProgramUpdated e, @SequenceNumber long sequence) {
        terms = new ProgramTerms(e.name(), terms.status(), e.allowedChannels(), e.allowedTypes(), e.invitationTypes(),
                e.attributionWindowDays(), e.velocityLimitPerHour(), e.landingUrl());
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ProgramPaused e, @SequenceNumber long sequence) {
        terms = terms.withStatus(ProgramStatus.PAUSED);
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ProgramResumed e, @SequenceNumber long sequence) {
        terms = terms.withStatus(ProgramStatus.ACTIVE);
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ProgramEnded e, @SequenceNumber long sequence) {
        terms = terms.withStatus(ProgramStatus.ENDED);
        lastSequence = sequence;
    }

    /** @return true when the move must be recorded; false when the program is there already */
    private boolean moveTo(ProgramStatus next, Lookups lookups) {
        ProgramStatus now = terms.status();
        if (now == next) {
            return false;
        }
        if (now == ProgramStatus.ENDED) {
            throw new InvalidTransitionException(now.name(), next.name());
        }
        terms.withStatus(next).store(lookups, tenantId, programId);
        return true;
    }

    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new NotFoundException("Program", programId);
        }
    }

    /** Validated terms; a null input keeps {@code current}'s value (or the default when creating). */
    private static ProgramTerms terms(Violations v, FieldRules rules, String name, ProgramStatus status,
                                      List<String> channels, List<String> types, List<String> invitationTypes,
                                      Integer window, Integer velocity, String landingUrl, ProgramTerms current) {
        List<String> allowedChannels = channels == null && current != null ? current.allowedChannels()
                : rules.oneOfEach(v, "allowedChannels", channels, Channel.class, "UNKNOWN_CHANNEL").stream().map(Enum::name).toList();
        List<String> allowedTypes = types == null && current != null ? current.allowedTypes()
                : rules.codes(v, "allowedTypes", types, "INVALID_TYPE");
        List<InvitationType> invitations = invitationTypes == null && current != null ? current.invitationTypes()
                : rules.oneOfEach(v, "invitationTypes", invitationTypes, InvitationType.class, "UNKNOWN_INVITATION_TYPE");
        if (invitations.isEmpty()) {
            invitations = List.of(InvitationType.values());
        }
        int days = rules.range(v, "attributionWindowDays", window, 1, 3650,
                current != null ? current.attributionWindowDays() : DEFAULT_ATTRIBUTION_WINDOW_DAYS);
        int limit = rules.range(v, "velocityLimitPerHour", velocity, 1, 1_000_000,
                current != null ? current.velocityLimitPerHour() : DEFAULT_VELOCITY_LIMIT_PER_HOUR);
        String url = landingUrl == null && current != null ? current.landingUrl() : rules.url(v, "landingUrl", landingUrl);
        return new ProgramTerms(name, status, allowedChannels, allowedTypes, invitations, days, limit, url);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
