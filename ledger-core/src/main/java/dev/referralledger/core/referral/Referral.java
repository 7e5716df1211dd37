package dev.referralledger.core.referral;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.person.People;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.program.ReferralCodes;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.UnacceptableException;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A referral: one person referred by an advocate, moving through the pipeline
 * RECEIVED → CONTACTED → QUALIFIED → CONVERTED, or LOST from any open stage.
 *
 * <p>Transition handlers answer with the sequence number of the referral's latest event, so that the API can
 * wait until the read side has applied it (read-your-writes). Repeating the transition that already happened
 * emits nothing and answers the same sequence number.</p>
 */
@Aggregate
public class Referral {

    static final int MAX_NOTES = 2000;
    static final int MAX_REASON = 2000;

    @AggregateIdentifier
    private String referralId;
    private String tenantId;
    private ReferralStatus status;
    private ReviewFlag flag;
    private String programId;
    private String referredPersonId;
    private String advocateId;
    private Channel channel;
    private String agentId;
    private Money remainingValue;
    private boolean fullyReversed;
    private String resultingDealId;
    private long lastSequence;

    protected Referral() {
        // for event sourcing
    }

    @CommandHandler
    public Referral(CreateReferral cmd, FieldRules rules, Lookups lookups) {
        Violations v = new Violations();
        if (FieldRules.isBlank(cmd.tenantId())) {
            v.add("tenantId", "REQUIRED", "tenantId is required.");
        }
        Source source = source(v, lookups, cmd);
        // a code or impression names the advocate; when it is unknown, that is the one error worth reporting
        boolean advocateNamed = source.advocateId() != null || cmd.impressionId() != null || cmd.referralCode() != null;
        Advocate referrer = cmd.referrer() == null && advocateNamed ? null : advocate(v, rules, cmd.referrer());
        ReferredPerson referred = referred(v, rules, cmd.referred());
        List<Contact> contacts = contacts(v, rules, cmd.contacts());
        String agentId = rules.text(v, "agentId", cmd.agentId(), FieldRules.MAX_NAME, false);
        Channel channel = rules.oneOf(v, "channel", cmd.channel(), Channel.class, Channel.API, "UNKNOWN_CHANNEL");
        String type = rules.code(v, "type", cmd.type(), "INVALID_TYPE");
        String notes = rules.text(v, "notes", cmd.notes(), MAX_NOTES, false);
        Money expected = rules.money(v, "expectedValue", cmd.expectedValue(), "currency", cmd.currency(), false);
        var metadata = rules.metadata(v, "metadata", cmd.metadata());
        Introduction introduction = Introductions.validate(v, rules, cmd.introduction(), referrer);
        // milliseconds, as every time the ledger stores and answers
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant receivedAt = receivedAt(v, cmd.receivedAt(), channel, now);
        if (source.terms() != null && channel != null && !source.terms().allowedChannels().isEmpty()
                && !source.terms().allowedChannels().contains(channel.name())) {
            v.add("channel", "CHANNEL_NOT_ALLOWED", "The program does not take referrals through " + channel + ".");
        }
        if (source.terms() != null && type != null && !source.terms().allowedTypes().isEmpty()
                && !source.terms().allowedTypes().contains(type)) {
            v.add("type", "TYPE_NOT_ALLOWED", "The program does not take referrals of type " + type + ".");
        }
        v.throwIfAny();
        if (source.terms() != null) {
            source.terms().requireActive(source.programId());
        }

        List<People.Resolved> people = People.resolve(lookups, cmd.tenantId(),
                source.advocateId() != null || referrer == null ? null
                        : new People.Identity(referrer.email(), referrer.phone(), referrer.externalId()),
                referred == null ? null : new People.Identity(referred.email(), referred.phone(), null));
        String advocateId = source.advocateId() != null ? source.advocateId() : personId(people.get(0));
        String referredPersonId = personId(people.get(1));
        if (referredPersonId != null && referredPersonId.equals(advocateId)) {
            throw new UnacceptableException("SELF_REFERRAL", "An advocate cannot refer themselves.");
        }
        String invitationId = null;
        ReviewFlag flag = null;
        if (source.programId() != null && referredPersonId != null) {
            Instant until = Instant.now().plus(Duration.ofDays(source.terms().attributionWindowDays()));
            Lookups.Claim credit = new Lookups.Claim(LookupKind.REFERRED_IN_PROGRAM,
                    source.programId() + ":" + referredPersonId, cmd.referralId(), source.programId(), null, until);
            // a person new to the ledger was never referred: claimed without looking first
            Lookups.Entry first = people.get(1).isNew() ? lookups.claimAll(cmd.tenantId(), List.of(credit)).get(0)
                    : lookups.claim(cmd.tenantId(), credit.kind(), credit.key(), credit.ownerId(), credit.scopeId(),
                            credit.detail(), credit.expiresAt());
            if (!first.claimedNow()) {
                throw new ConflictException("ALREADY_REFERRED", "This person was already referred in this program;"
                        + " the first referral keeps the credit.", Map.of("existingReferralId", first.ownerId()));
            }
            invitationId = invitationOf(lookups, cmd.tenantId(), source.programId(), advocateId, referred);
        }
        // imported history is not a burst of new activity: the velocity rule judges live referrals only
        if (source.programId() != null && advocateId != null && channel != Channel.IMPORT) {
            int lastHour = lookups.countReferralInLastHour(cmd.tenantId(), source.programId(), advocateId, Instant.now());
            if (lastHour > source.terms().velocityLimitPerHour()) {
                flag = ReviewFlag.REVIEW;
            }
        }
        apply(new ReferralReceived(cmd.referralId(), cmd.tenantId(), referrer, referred, contacts, agentId,
                channel, type, notes, expected, metadata, source.programId(), advocateId, referredPersonId,
                source.referralCode(), source.impressionId(), invitationId, flag, introduction, receivedAt));
    }

    /** Only an import may say when a referral was received (in the past): any other referral is received now. */
    private static Instant receivedAt(Violations v, Instant given, Channel channel, Instant now) {
        if (given == null) {
            return now;
        }
        if (channel != Channel.IMPORT) {
            v.add("receivedAt", "IMPORT_ONLY", "receivedAt is only taken for imported referrals.");
        } else if (given.isAfter(now.plus(Duration.ofMinutes(5)))) {
            v.add("receivedAt", "IN_FUTURE", "receivedAt must not be in the future.");
        }
        return given.truncatedTo(ChronoUnit.MILLIS);
    }

    @CommandHandler
    public long handle(ReviewReferral cmd, FieldRules rules, Lookups lookups) {
        requireTenant(cmd.tenantId());
        Violations v = new Violations();
        String decision = rules.text(v, "decision", cmd.decision(), 16, true);
        String note = rules.text(v, "note", cmd.note(), MAX_REASON, false);
        if (decision != null && !decision.equalsIgnoreCase("APPROVE") && !decision.equalsIgnoreCase("REJECT")) {
            v.add("decision", "UNKNOWN_DECISION", "decision must be APPROVE or REJECT.");
        }
        v.throwIfAny();
        ReviewFlag outcome = decision.equalsIgnoreCase("APPROVE") ? ReviewFlag.APPROVED : ReviewFlag.REJECTED;
        if (flag == outcome) {
            return lastSequence;
        }
        if (flag != ReviewFlag.REVIEW) {
            throw new ConflictException("NOT_IN_REVIEW", "Referral " + referralId + " is not waiting for review.",
                    Map.of("flag", flag == null ? "NONE" : flag.name()));
        }
        if (outcome == ReviewFlag.APPROVED) {
            apply(new ReferralApproved(referralId, tenantId, note));
        } else {
            apply(new ReferralRejected(referralId, tenantId, note));
            // a rejected referral earns nothing, so it no longer blocks a genuine referral of the same person
            if (programId != null && referredPersonId != null) {
                lookups.release(tenantId, LookupKind.REFERRED_IN_PROGRAM, programId + ":" + referredPersonId, referralId);
            }
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(ContactReferral cmd, FieldRules rules) {
        requireTenant(cmd.tenantId());
        String note = validNote(rules, "note", cmd.note());
        if (advanceTo(ReferralStatus.CONTACTED)) {
            apply(new ReferralContacted(referralId, tenantId, note));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(QualifyReferral cmd, FieldRules rules) {
        requireTenant(cmd.tenantId());
        String note = validNote(rules, "note", cmd.note());
        if (advanceTo(ReferralStatus.QUALIFIED)) {
            apply(new ReferralQualified(referralId, tenantId, note));
        }
        return lastSequence;
    }

    @CommandHandler
    public long handle(MarkConverted cmd, FieldRules rules) {
        requireTenant(cmd.tenantId());
        Violations v = new Violations();
        String dealId = rules.text(v, "resultingDealId", cmd.resultingDealId(), FieldRules.MAX_NAME, true);
        Money value = rules.money(v, "dealValue", cmd.dealValue(), "currency", cmd.currency(), false);
        v.throwIfAny();
        if (status == ReferralStatus.CONVERTED && dealId.equals(resultingDealId)) {
            return lastSequence;
        }
        if (!status.canMoveTo(ReferralStatus.CONVERTED)) {
            throw new InvalidTransitionException(status.name(), ReferralStatus.CONVERTED.name());
        }
        if (flag == ReviewFlag.REVIEW) {
            throw new ConflictException("REFERRAL_IN_REVIEW", "Referral " + referralId
                    + " is held for review; approve it before converting it.", Map.of("flag", flag.name()));
        }
        apply(new ReferralConverted(referralId, tenantId, dealId, value, cmd.closedAt(), programId, advocateId,
                referredPersonId, channel, agentId));
        return lastSequence;
    }

    @CommandHandler
    public long handle(ReverseConversion cmd, FieldRules rules) {
        requireTenant(cmd.tenantId());
        Violations v = new Violations();
        ReversalKind kind = rules.oneOf(v, "kind", cmd.kind(), ReversalKind.class, ReversalKind.REFUND, "UNKNOWN_KIND");
        String reason = rules.text(v, "reason", cmd.reason(), MAX_REASON, false);
        Money amount = rules.money(v, "amount", cmd.amount(), "currency", cmd.currency(), false);
        v.throwIfAny();
        if (status != ReferralStatus.CONVERTED) {
            throw new InvalidTransitionException(status.name(), "REVERSED");
        }
        if (fullyReversed) {
            throw new ConflictException("ALREADY_REVERSED", "The conversion of referral " + referralId
                    + " was already reversed in full.", Map.of("referralId", referralId));
        }
        Instant at = cmd.reversedAt() == null ? Instant.now() : cmd.reversedAt();
        if (remainingValue == null) {
            if (amount != null) {
                throw new InvalidCommandException(List.of(new FieldViolation("amount", "NO_DEAL_VALUE",
                        "The deal has no value to reverse part of; leave amount out to reverse it in full.")));
            }
            apply(new ConversionReversed(referralId, tenantId, resultingDealId, kind, null, null, true, reason, at,
                    programId, advocateId, channel, agentId));
            return lastSequence;
        }
        Money share = amount == null ? remainingValue : amount;
        if (!share.currency().equals(remainingValue.currency())) {
            throw new InvalidCommandException(List.of(new FieldViolation("currency", "CURRENCY_MISMATCH",
                    "The deal is in " + remainingValue.currency() + ".")));
        }
        if (share.amount().compareTo(remainingValue.amount()) > 0) {
            throw new InvalidCommandException(List.of(new FieldViolation("amount", "EXCEEDS_REMAINING",
                    "At most " + remainingValue.amount().toPlainString() + " " + remainingValue.currency()
                            + " of the deal is left to reverse.")));
        }
        Money left = new Money(remainingValue.amount().subtract(share.amount()), remainingValue.currency());
        apply(new ConversionReversed(referralId, tenantId, resultingDealId, kind, share, left,
                left.amount().signum() == 0, reason, at, programId, advocateId, channel, agentId));
        return lastSequence;
    }

    @CommandHandler
    public long handle(MarkLost cmd, FieldRules rules) {
        requireTenant(cmd.tenantId());
        String reason = validNote(rules, "reason", cmd.reason());
        if (advanceTo(ReferralStatus.LOST)) {
            apply(new ReferralLost(referralId, tenantId, reason));
        }
        return lastSequence;
    }

    @EventSourcingHandler
    void on(ReferralReceived event, @SequenceNumber long sequence) {
        referralId = event.referralId();
        tenantId = event.tenantId();
        status = ReferralStatus.RECEIVED;
        flag = event.flag();
        programId = event.programId();
        referredPersonId = event.referredPersonId();
        advocateId = event.advocateId();
        channel = event.channel();
        agentId = event.agentId();
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralApproved event, @SequenceNumber long sequence) {
        flag = ReviewFlag.APPROVED;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralRejected event, @SequenceNumber long sequence) {
        flag = ReviewFlag.REJECTED;
        status = ReferralStatus.LOST;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralContacted event, @SequenceNumber long sequence) {
        status = ReferralStatus.CONTACTED;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralQualified event, @SequenceNumber long sequence) {
        status = ReferralStatus.QUALIFIED;
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralConverted event, @SequenceNumber long sequence) {
        status = ReferralStatus.CONVERTED;
        resultingDealId = event.resultingDealId();
        remainingValue = event.dealValue();
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ConversionReversed event, @SequenceNumber long sequence) {
        remainingValue = event.remaining();
        fullyReversed = event.full();
        lastSequence = sequence;
    }

    @EventSourcingHandler
    void on(ReferralLost event, @SequenceNumber long sequence) {
        status = ReferralStatus.LOST;
        lastSequence = sequence;
    }

    /** A referral of another tenant answers exactly like a referral that does not exist. */
    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new NotFoundException("Referral", referralId);
        }
    }

    /** @return true when the move must be recorded, false when it already happened */
    private boolean advanceTo(ReferralStatus next) {
        if (status == next) {
            return false;
        }
        if (!status.canMoveTo(next)) {
            throw new InvalidTransitionException(status.name(), next.name());
        }
        return true;
    }

    private static String validNote(FieldRules rules, String field, String value) {
        Violations v = new Violations();
        String note = rules.text(v, field, value, MAX_REASON, false);
        v.throwIfAny();
        return note;
    }

    /** Where the referral comes from: the program, advocate and code it is credited to. */
    private record Source(String programId, String advocateId, String referralCode, String impressionId,
                          ProgramTerms terms) {
    }

    private static Source source(Violations v, Lookups lookups, CreateReferral cmd) {
        String programId = FieldRules.clean(cmd.programId());
        String advocateId = null;
        String code = null;
        String impressionId = FieldRules.clean(cmd.impressionId());
        if (impressionId != null) {
            Optional<Lookups.Entry> impression = lookups.find(cmd.tenantId(), LookupKind.IMPRESSION, impressionId);
            if (impression.isEmpty()) {
                v.add("impressionId", "IMPRESSION_NOT_FOUND", "There is no impression " + impressionId + ".");
                return new Source(null, null, null, null, null);
            }
            programId = impression.get().scopeId();
            advocateId = impression.get().ownerId().isEmpty() ? null : impression.get().ownerId();
            code = impression.get().detail();
        } else if (cmd.referralCode() != null) {
            code = ReferralCodes.normalize(cmd.referralCode());
            Optional<Lookups.Entry> owner = code == null ? Optional.empty()
                    : lookups.find(cmd.tenantId(), LookupKind.REFERRAL_CODE, code);
            if (owner.isEmpty()) {
                v.add("referralCode", "REFERRAL_CODE_NOT_FOUND", "No advocate has the referral code " + cmd.referralCode() + ".");
                return new Source(null, null, null, null, null);
            }
            programId = owner.get().scopeId();
            advocateId = owner.get().ownerId();
        }
        if (programId == null) {
            return new Source(null, advocateId, code, impressionId, null);
        }
        Optional<ProgramTerms> terms = ProgramTerms.of(lookups, cmd.tenantId(), programId);
        if (terms.isEmpty()) {
            v.add("programId", "PROGRAM_NOT_FOUND", "There is no program " + programId + ".");
            return new Source(null, null, null, null, null);
        }
        return new Source(programId, advocateId, code, impressionId, terms.get());
    }

    private static String personId(People.Resolved person) {
        return person == null ? null : person.personId();
    }

    /** The advocate's invitation of this person in the program, by email then phone, if there is one. */
    private static String invitationOf(Lookups lookups, String tenantId, String programId, String advocateId,
                                       ReferredPerson referred) {
        if (advocateId == null) {
            return null;
        }
        List<Lookups.Key> keys = new ArrayList<>(2);
        for (String identifier : new String[]{referred.email(), referred.phone()}) {
            if (identifier != null) {
                keys.add(new Lookups.Key(LookupKind.INVITATION, programId + ":" + advocateId + ":" + identifier));
            }
        }
        if (keys.isEmpty()) {
            return null;
        }
        for (Lookups.Entry invitation : lookups.findAll(tenantId, keys)) {
            if (invitation != null) {
                return invitation.ownerId();
            }
        }
        return null;
    }

    private static Advocate advocate(Violations v, FieldRules rules, Advocate in) {
        if (in == null) {
            v.add("referrer", "REQUIRED", "referrer is required.");
            return null;
        }
        String name = rules.text(v, "referrer.name", in.name(), FieldRules.MAX_NAME, false);
        String email = rules.email(v, "referrer.email", in.email(), false);
        String phone = rules.phone(v, "referrer.phone", in.phone());
        String externalId = rules.text(v, "referrer.externalId", in.externalId(), FieldRules.MAX_NAME, false);
        if (FieldRules.isBlank(in.email()) && FieldRules.isBlank(in.phone()) && FieldRules.isBlank(in.externalId())) {
            v.add("referrer.email", "REQUIRED", "referrer needs an email, a phone or an externalId.");
        }
        return new Advocate(name, email, phone, externalId);
    }

    private static ReferredPerson referred(Violations v, FieldRules rules, ReferredPerson in) {
        if (in == null) {
            v.add("referred", "REQUIRED", "referred is required.");
            return null;
        }
        return new ReferredPerson(
                rules.text(v, "referred.firstName", in.firstName(), FieldRules.MAX_NAME, true),
                rules.text(v, "referred.lastName", in.lastName(), FieldRules.MAX_NAME, false),
                rules.email(v, "referred.email", in.email(), false),
                rules.phone(v, "referred.phone", in.phone()));
    }

    private static List<Contact> contacts(Violations v, FieldRules rules, List<Contact> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<Contact> out = new ArrayList<>();
        Set<String> emails = new HashSet<>();
        int primaries = 0;
        for (int i = 0; i < in.size(); i++) {
            Contact c = in.get(i);
            String at = "contacts[" + i + "]";
            if (c == null) {
                v.add(at, "REQUIRED", at + " must be an object.");
                continue;
            }
            String name = rules.text(v, at + ".name", c.name(), FieldRules.MAX_NAME, false);
            String email = rules.email(v, at + ".email", c.email(), false);
            String phone = rules.phone(v, at + ".phone", c.phone());
            if (FieldRules.isBlank(c.email()) && FieldRules.isBlank(c.phone())) {
                v.add(at + ".email", "REQUIRED", at + " needs an email or a phone.");
            }
            if (email != null && !emails.add(email)) {
                v.add(at + ".email", "DUPLICATE_CONTACT_EMAIL", "Each contact needs its own email; " + email + " is repeated.");
            }
            if (c.primary() && ++primaries == 2) {
                v.add(at + ".primary", "MULTIPLE_PRIMARY_CONTACTS", "Only one contact may be primary.");
            }
            out.add(new Contact(name, email, phone, c.primary()));
        }
        return out;
    }
}
