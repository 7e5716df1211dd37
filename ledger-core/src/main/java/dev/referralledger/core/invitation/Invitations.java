package dev.referralledger.core.invitation;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.program.InvitationType;
import dev.referralledger.core.program.ProgramTerms;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.Violations;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles {@link SendInvitations}. The request as a whole must be well formed (a referrer, 1 to
 * {@link SendInvitations#MAX_INVITEES} invitees, names within bounds), else it is refused with 400; within
 * it, each invitee is invited or gets its own failure code. Each accepted invitee claims the INVITATION key
 * {@code programId:advocateId:identifier} in the command's transaction, which is how a later referral of that
 * person with the advocate's code finds the invitation, and why inviting the same person twice, even from two
 * concurrent requests, keeps one invitation.
 */
public class Invitations {

    private final Repository<InvitationBatch> repository;
    private final Lookups lookups;
    private final FieldRules rules;

    public Invitations(Repository<InvitationBatch> repository, Lookups lookups, FieldRules rules) {
        this.repository = repository;
        this.lookups = lookups;
        this.rules = rules;
    }

    /** The referrer as an advocate of the program. */
    private record Advocate(String personId, String referralCode) {
    }

    @CommandHandler
    public InvitationResults handle(SendInvitations cmd) throws Exception {
        Optional<ProgramTerms> found = ProgramTerms.of(lookups, cmd.tenantId(), cmd.programId());
        if (found.isEmpty()) {
            throw new NotFoundException("Program", cmd.programId());
        }
        ProgramTerms terms = found.get();
        Violations v = new Violations();
        String email = rules.email(v, "referrer.email", cmd.referrerEmail(), false);
        String mobile = rules.phone(v, "referrer.mobile", cmd.referrerMobile());
        if (FieldRules.isBlank(cmd.referrerEmail()) && FieldRules.isBlank(cmd.referrerMobile())) {
            v.add("referrer.email", "REQUIRED", "referrer needs an email or a mobile.");
        }
        List<SendInvitations.Invitee> invitees = cmd.invitees() == null ? List.of() : cmd.invitees();
        List<String> names = new ArrayList<>();
        if (invitees.isEmpty()) {
            v.add("invitees", "REQUIRED", "invitees must list at least one person.");
        } else if (invitees.size() > SendInvitations.MAX_INVITEES) {
            v.add("invitees", "TOO_MANY", "At most " + SendInvitations.MAX_INVITEES + " invitees per request.");
        } else {
            for (int i = 0; i < invitees.size(); i++) {
                if (invitees.get(i) == null) {
                    v.add("invitees[" + i + "]", "REQUIRED", "invitees[" + i + "] must be an object.");
                    names.add(null);
                } else {
                    names.add(rules.text(v, "invitees[" + i + "].name", invitees.get(i).name(), FieldRules.MAX_NAME, false));
                }
            }
        }
        v.throwIfAny();
        terms.requireActive(cmd.programId());

        Advocate advocate = advocate(cmd.tenantId(), cmd.programId(), email, mobile);
        List<InvitationResults.InviteeResult> results = new ArrayList<>(invitees.size());
        List<InvitationsSent.Invitation> invitations = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < invitees.size(); i++) {
            SendInvitations.Invitee in = invitees.get(i);
            if (advocate == null) {
                results.add(InvitationResults.InviteeResult.of(i, in.identifier(), InvitationOutcome.REFERRER_NOT_FOUND, null));
                continue;
            }
            InvitationType type = type(in.type());
            if (type == null || !supports(terms, type)) {
                results.add(InvitationResults.InviteeResult.of(i, in.identifier(), InvitationOutcome.TYPE_NOT_SUPPORTED, null));
                continue;
            }
            String identifier = identifier(type, in.identifier());
            if (identifier == null) {
                results.add(InvitationResults.InviteeResult.of(i, in.identifier(), InvitationOutcome.INVALID_IDENTIFIER, null));
                continue;
            }
            String invitationId = invitationId(cmd.batchId(), i);
            Lookups.Entry held = lookups.claim(cmd.tenantId(), LookupKind.INVITATION,
                    cmd.programId() + ":" + advocate.personId() + ":" + identifier, invitationId, cmd.programId(),
                    cmd.batchId(), null);
            if (!held.claimedNow()) {
                results.add(InvitationResults.InviteeResult.of(i, in.identifier(), InvitationOutcome.ALREADY_INVITED, held.ownerId()));
                continue;
            }
            invitations.add(new InvitationsSent.Invitation(invitationId, type, identifier, names.get(i),
                    in.invitedAt() == null ? now : in.invitedAt()));
            results.add(InvitationResults.InviteeResult.of(i, in.identifier(), InvitationOutcome.INVITED, invitationId));
        }
        String batchId = null;
        if (!invitations.isEmpty()) {
            InvitationsSent sent = new InvitationsSent(cmd.batchId(), cmd.tenantId(), cmd.programId(),
                    advocate.personId(), advocate.referralCode(), List.copyOf(invitations));
            repository.newInstance(() -> new InvitationBatch(sent));
            batchId = cmd.batchId();
        }
        return InvitationResults.of(batchId, cmd.programId(), advocate == null ? null : advocate.personId(),
                advocate == null ? null : advocate.referralCode(), List.copyOf(results));
    }

    /**
     * The invitation id of the invitee at {@code index}: derived, so that the same command handled again
     * (a retry with the same batch id) names the same invitations.
     */
    public static String invitationId(String batchId, int index) {
        return UUID.nameUUIDFromBytes(("invitation:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The person behind the email, else the mobile, who is enrolled in the program. Only looked up: an
     * unknown referrer is not created, since they could have no referral code to share.
     */
    private Advocate advocate(String tenantId, String programId, String email, String mobile) {
        Advocate byEmail = email == null ? null : advocate(tenantId, programId, LookupKind.PERSON_EMAIL, email);
        return byEmail != null || mobile == null ? byEmail : advocate(tenantId, programId, LookupKind.PERSON_PHONE, mobile);
    }

    private Advocate advocate(String tenantId, String programId, LookupKind kind, String key) {
        Optional<Lookups.Entry> person = lookups.find(tenantId, kind, key);
        if (person.isEmpty()) {
            return null;
        }
        return lookups.find(tenantId, LookupKind.ENROLLMENT, programId + ":" + person.get().ownerId())
                .filter(enrollment -> enrollment.detail() != null)
                .map(enrollment -> new Advocate(person.get().ownerId(), enrollment.detail()))
                .orElse(null);
    }

    private static InvitationType type(String sent) {
        String cleaned = FieldRules.clean(sent);
        if (cleaned == null) {
            return null;
        }
        try {
            return InvitationType.valueOf(cleaned.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Programs stored before invitation types existed allow both. */
    private static boolean supports(ProgramTerms terms, InvitationType type) {
        return terms.invitationTypes() == null || terms.invitationTypes().isEmpty() || terms.invitationTypes().contains(type);
    }

    /** The normalized identifier, or null when it is not one of {@code type}. */
    private String identifier(InvitationType type, String sent) {
        Violations found = new Violations();
        String identifier = switch (type) {
            case EMAIL -> rules.email(found, "identifier", sent, true);
            case MOBILE -> rules.phone(found, "identifier", sent);
        };
        return found.isEmpty() ? identifier : null;
    }
}
