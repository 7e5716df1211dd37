package dev.referralledger.core.referral;

import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.Money;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    private String resultingDealId;
    private long lastSequence;

    protected Referral() {
        // for event sourcing
    }

    @CommandHandler
    public Referral(CreateReferral cmd, FieldRules rules) {
        Violations v = new Violations();
        if (FieldRules.isBlank(cmd.tenantId())) {
            v.add("tenantId", "REQUIRED", "tenantId is required.");
        }
        Advocate referrer = advocate(v, rules, cmd.referrer());
        ReferredPerson referred = referred(v, rules, cmd.referred());
        List<Contact> contacts = contacts(v, rules, cmd.contacts());
        String agentId = rules.text(v, "agentId", cmd.agentId(), FieldRules.MAX_NAME, false);
        Channel channel = rules.oneOf(v, "channel", cmd.channel(), Channel.class, Channel.API, "UNKNOWN_CHANNEL");
        String type = rules.code(v, "type", cmd.type(), "INVALID_TYPE");
        String notes = rules.text(v, "notes", cmd.notes(), MAX_NOTES, false);
        Money expected = rules.money(v, "expectedValue", cmd.expectedValue(), "currency", cmd.currency(), false);
        var metadata = rules.metadata(v, "metadata", cmd.metadata());
        v.throwIfAny();

        apply(new ReferralReceived(cmd.referralId(), cmd.tenantId(), referrer, referred, contacts, agentId,
                channel, type, notes, expected, metadata));
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
        apply(new ReferralConverted(referralId, tenantId, dealId, value, cmd.closedAt()));
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
