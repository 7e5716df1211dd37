package dev.referralledger.core.impression;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.program.ReferralCodes;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An impression: one scan of an advocate's QR poster or click on their link. It never changes once recorded;
 * referrals that follow it name it and inherit its program and advocate.
 */
@Aggregate
public class Impression {

    static final int MAX_PLACEMENT = 200;
    static final int MAX_USER_AGENT = 1000;

    @AggregateIdentifier
    private String impressionId;

    protected Impression() {
        // for event sourcing
    }

    @CommandHandler
    public Impression(RecordImpression cmd, FieldRules rules, Lookups lookups) {
        Violations v = new Violations();
        ImpressionSource source = rules.oneOf(v, "source", cmd.source(), ImpressionSource.class, null, "UNKNOWN_SOURCE");
        String placement = rules.text(v, "placement", cmd.placement(), MAX_PLACEMENT, false);
        String landingUrl = rules.url(v, "landingUrl", cmd.landingUrl());
        String userAgent = rules.text(v, "userAgent", cmd.userAgent(), MAX_USER_AGENT, false);
        var metadata = rules.metadata(v, "metadata", cmd.metadata());
        String programId = FieldRules.clean(cmd.programId());
        String advocateId = FieldRules.clean(cmd.advocateId());
        String code = null;
        if (cmd.referralCode() != null) {
            code = ReferralCodes.normalize(cmd.referralCode());
            Optional<Lookups.Entry> owner = code == null ? Optional.empty()
                    : lookups.find(cmd.tenantId(), LookupKind.REFERRAL_CODE, code);
            if (owner.isEmpty()) {
                v.add("referralCode", "REFERRAL_CODE_NOT_FOUND", "No advocate has the referral code " + cmd.referralCode() + ".");
            } else {
                programId = owner.get().scopeId();
                advocateId = owner.get().ownerId();
            }
        } else if (programId == null) {
            v.add("referralCode", "REQUIRED", "An impression needs a referralCode or a programId.");
        }
        Optional<ProgramTerms> terms = programId == null ? Optional.empty()
                : ProgramTerms.of(lookups, cmd.tenantId(), programId);
        if (programId != null && terms.isEmpty()) {
            v.add("programId", "PROGRAM_NOT_FOUND", "There is no program " + programId + ".");
        } else if (code == null && advocateId != null
                && lookups.find(cmd.tenantId(), LookupKind.ENROLLMENT, programId + ":" + advocateId).isEmpty()) {
            v.add("advocateId", "ADVOCATE_NOT_ENROLLED", "Advocate " + advocateId + " is not enrolled in program " + programId + ".");
        }
        v.throwIfAny();
        terms.get().requireActive(programId);
        Instant occurredAt = cmd.occurredAt() == null ? Instant.now() : cmd.occurredAt();
        lookups.put(cmd.tenantId(), LookupKind.IMPRESSION, cmd.impressionId(), advocateId == null ? "" : advocateId,
                programId, code);
        apply(new ImpressionRecorded(cmd.impressionId(), cmd.tenantId(), programId, advocateId, code, source, placement,
                landingUrl, userAgent, cmd.clientAddressHash(), occurredAt, metadata));
    }

    @EventSourcingHandler
    void on(ImpressionRecorded e) {
        impressionId = e.impressionId();
    }
}
