package dev.referralledger.core.person;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.EnumMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A person's consents to be contacted, per channel. Created by the first consent recorded; each change is
 * also written to the command side's lookups, where the reward aggregate reads it when it thanks someone.
 * It is also where a person is erased: the one aggregate identified by the person id.
 */
@Aggregate
public class PersonConsent {

    @AggregateIdentifier
    private String personId;
    private String tenantId;
    private final Map<ConsentChannel, Boolean> granted = new EnumMap<>(ConsentChannel.class);
    private long lastSequence = -1;
    private boolean erased;

    protected PersonConsent() {
        // for event sourcing, and for the first consent of a person
    }

    /** @return the sequence number of the person's latest consent event */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(RecordConsent cmd, FieldRules rules, Lookups lookups) {
        if (tenantId != null && !tenantId.equals(cmd.tenantId())) {
            throw new NotFoundException("Person", cmd.personId());
        }
        Violations v = new Violations();
        String id = rules.text(v, "personId", cmd.personId(), 64, true);
        ConsentChannel channel = rules.oneOf(v, "channel", cmd.channel(), ConsentChannel.class, null, "UNKNOWN_CHANNEL");
        if (cmd.granted() == null) {
            v.add("granted", "REQUIRED", "granted must be true or false.");
        }
        v.throwIfAny();
        if (Boolean.valueOf(cmd.granted()).equals(granted.get(channel))) {
            return lastSequence;
        }
        lookups.put(cmd.tenantId(), LookupKind.PERSON_CONSENT, id + ":" + channel, id, null,
                cmd.granted() ? "granted" : "withdrawn");
        apply(new ConsentRecorded(id, cmd.tenantId(), channel, cmd.granted()));
        return lastSequence;
    }

    /**
     * Erases the person: destroys their key and releases the lookups that hold their email, phone or external
     * id, in the transaction of this command. Erasing twice changes nothing the second time.
     *
     * @throws NotFoundException when the tenant never knew the person
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Erasure handle(ErasePerson cmd, Lookups lookups, PersonKeys keys) {
        if (tenantId != null && !tenantId.equals(cmd.tenantId())) {
            throw new NotFoundException("Person", cmd.personId());
        }
        if (erased) {
            return new Erasure(personId, false, 0);
        }
        Lookups.ReleasedPerson released = lookups.releasePerson(cmd.tenantId(), cmd.personId());
        boolean known = keys.destroy(cmd.tenantId(), cmd.personId(), released.identifiers(), released.invitationIds());
        if (!known && released.count() == 0 && tenantId == null) {
            // the refusal rolls the key record destroy() made back with the command
            throw new NotFoundException("Person", cmd.personId());
        }
        apply(new PersonErased(cmd.personId(), cmd.tenantId(), released.invitationIds(), released.count()));
        return new Erasure(cmd.personId(), true, released.count());
    }

    @EventSourcingHandler
    void on(PersonErased e, @SequenceNumber long sequence) {
        lastSequence = sequence;
        personId = e.personId();
        tenantId = e.tenantId();
        erased = true;
    }

    @EventSourcingHandler
    void on(ConsentRecorded e, @SequenceNumber long sequence) {
        personId = e.personId();
        tenantId = e.tenantId();
        granted.put(e.channel(), e.granted());
        lastSequence = sequence;
    }

    /** "granted", "withdrawn", or null when the person never said. */
    public static String consentOf(Lookups lookups, String tenantId, String personId, ConsentChannel channel) {
        return lookups.find(tenantId, LookupKind.PERSON_CONSENT, personId + ":" + channel)
                .map(Lookups.Entry::detail).orElse(null);
    }
}
