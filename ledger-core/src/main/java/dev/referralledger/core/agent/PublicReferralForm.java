package dev.referralledger.core.agent;

import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.FieldViolation;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.Violations;

import java.util.Locale;
import java.util.Map;

/**
 * The referral form of an agent's public profile (or of the widget embedded on their site), as a visitor filled
 * it in. Stricter than the API's referral: an anonymous visitor must leave an email to be credited, and the
 * referred person needs an email or a phone to be reachable. Violations name the form's own fields.
 */
public record PublicReferralForm(String referrerName, String referrerEmail, String referredName, String referredEmail,
                                 String referredPhone, String notes, String channel) {

    public static final int MAX_NOTES = 2000;
    /** A first and a last name of at most 200 characters each, and the space between them. */
    public static final int MAX_REFERRED_NAME = 2 * FieldRules.MAX_NAME + 1;

    /** The aggregate's field names → the form's, for the rules the referral itself enforces. */
    private static final Map<String, String> FORM_FIELDS = Map.of(
            "referrer", "referrerEmail",
            "referrer.name", "referrerName",
            "referrer.email", "referrerEmail",
            "referred", "referredName",
            "referred.firstName", "referredName",
            "referred.lastName", "referredName",
            "referred.email", "referredEmail",
            "referred.phone", "referredPhone");

    /**
     * Validates every field at once and builds the referral for {@code agent}, in the agent's tenant.
     *
     * @throws InvalidCommandException naming each failing field of the form
     */
    public CreateReferral toCommand(String referralId, AgentSlugs.PublicAgent agent, FieldRules rules) {
        Violations v = new Violations();
        String name = rules.text(v, "referrerName", referrerName, FieldRules.MAX_NAME, false);
        String email = rules.email(v, "referrerEmail", referrerEmail, true);
        String[] referred = split(v, rules.text(v, "referredName", referredName, MAX_REFERRED_NAME, true));
        String referredMail = rules.email(v, "referredEmail", referredEmail, false);
        String phone = rules.phone(v, "referredPhone", referredPhone);
        if (FieldRules.isBlank(referredEmail) && FieldRules.isBlank(referredPhone)) {
            v.add("referredEmail", "REQUIRED", "referredEmail or referredPhone is required.");
        }
        String note = rules.text(v, "notes", notes, MAX_NOTES, false);
        Channel via = channel(v);
        v.throwIfAny();
        return CreateReferral.direct(referralId, agent.tenantId(), new Advocate(name, email, null, null),
                new ReferredPerson(referred[0], referred[1], referredMail, phone), agent.agentId(), via.name(), note);
    }

    /** The same refusal, with the referral's field names turned into the form's. */
    public static InvalidCommandException inFormTerms(InvalidCommandException e) {
        return new InvalidCommandException(e.violations().stream()
                .map(x -> new FieldViolation(FORM_FIELDS.getOrDefault(x.field(), x.field()), x.code(), x.message()))
                .toList());
    }

    /** "Sam Lee" → Sam / Lee: the first word is the first name, the rest the last name. */
    private static String[] split(Violations v, String fullName) {
        if (fullName == null) {
            return new String[]{null, null};
        }
        String[] parts = fullName.split("\\s+", 2);
        String last = parts.length > 1 ? FieldRules.clean(parts[1]) : null;
        boolean reported = fullName.length() > MAX_REFERRED_NAME; // already refused as a whole
        if (!reported && (parts[0].length() > FieldRules.MAX_NAME || (last != null && last.length() > FieldRules.MAX_NAME))) {
            v.add("referredName", "TOO_LONG", "Each part of referredName must be at most " + FieldRules.MAX_NAME + " characters.");
        }
        return new String[]{parts[0], last};
    }

    /** Only the two channels a public form can be: the profile page (the default) or the embedded widget. */
    private Channel channel(Violations v) {
        String cleaned = FieldRules.clean(channel);
        if (cleaned == null) {
            return Channel.PUBLIC_PROFILE;
        }
        String upper = cleaned.toUpperCase(Locale.ROOT);
        if (upper.equals(Channel.WIDGET.name()) || upper.equals(Channel.PUBLIC_PROFILE.name())) {
            return Channel.valueOf(upper);
        }
        v.add("channel", "UNKNOWN_CHANNEL", "channel must be PUBLIC_PROFILE or WIDGET.");
        return null;
    }
}
