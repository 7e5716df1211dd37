package dev.referralledger.core.referral;

import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.Violations;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of an introduction: a seeker and a provider are required, the connector is whoever the caller names
 * (the referrer when not named), the name is at most 200 characters and generated when absent, the description
 * at most 1,000. The connector is always the first facilitator; referral sources follow, each with a side.
 */
final class Introductions {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 1000;

    private Introductions() {
    }

    /** @param referrer the validated referrer: the connector when none is named */
    static Introduction validate(Violations v, FieldRules rules, Introduction in, Advocate referrer) {
        if (in == null) {
            return null;
        }
        Party seeker = party(v, rules, "introduction.seeker", in.seeker(), true);
        Party provider = party(v, rules, "introduction.provider", in.provider(), true);
        Party connector = party(v, rules, "introduction.connector", in.connector(), false);
        if (connector == null && referrer != null) {
            connector = new Party(referrer.externalId(), referrer.name(), null, referrer.email(), null);
        }
        String name = rules.text(v, "introduction.name", in.name(), MAX_NAME, false);
        String description = rules.text(v, "introduction.description", in.description(), MAX_DESCRIPTION, false);
        String productId = rules.text(v, "introduction.productId", in.productId(), FieldRules.MAX_NAME, false);
        if (name == null && seeker != null && provider != null) {
            name = truncate(label(seeker) + " → " + label(provider));
        }
        List<Facilitator> facilitators = new ArrayList<>();
        if (connector != null) {
            facilitators.add(new Facilitator(connector.id(), connector.personName(), connector.company(), "CONNECTOR",
                    "SEEKER"));
        }
        List<Facilitator> sources = in.facilitators() == null ? List.of() : in.facilitators();
        for (int i = 0; i < sources.size(); i++) {
            Facilitator f = sources.get(i);
            String at = "introduction.facilitators[" + i + "]";
            if (f == null) {
                v.add(at, "REQUIRED", at + " must be an object.");
                continue;
            }
            String id = rules.text(v, at + ".id", f.id(), FieldRules.MAX_NAME, false);
            String fname = rules.text(v, at + ".name", f.name(), FieldRules.MAX_NAME, false);
            String company = rules.text(v, at + ".company", f.company(), FieldRules.MAX_NAME, false);
            if (id == null && fname == null) {
                v.add(at + ".name", "REQUIRED", "A facilitator needs an id or a name.");
            }
            String side = f.side() == null ? null : f.side().trim().toUpperCase(java.util.Locale.ROOT);
            if (!"SEEKER".equals(side) && !"PROVIDER".equals(side)) {
                v.add(at + ".side", "UNKNOWN_SIDE", "side must be SEEKER or PROVIDER.");
            }
            facilitators.add(new Facilitator(id, fname, company, "REFERRAL_SOURCE", side));
        }
        return new Introduction(seeker, provider, connector, name, description, productId, List.copyOf(facilitators));
    }

    /** The company when known, else the person's name, else the id. */
    private static String label(Party p) {
        if (p.company() != null) {
            return p.company();
        }
        return p.personName() != null ? p.personName() : p.id();
    }

    private static String truncate(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 1) + "…";
    }

    private static Party party(Violations v, FieldRules rules, String at, Party in, boolean required) {
        if (in == null) {
            if (required) {
                v.add(at, "REQUIRED", at + " is required.");
            }
            return null;
        }
        String id = rules.text(v, at + ".id", in.id(), FieldRules.MAX_NAME, false);
        String first = rules.text(v, at + ".firstName", in.firstName(), FieldRules.MAX_NAME, false);
        String last = rules.text(v, at + ".lastName", in.lastName(), FieldRules.MAX_NAME, false);
        String email = rules.email(v, at + ".email", in.email(), false);
        String company = rules.text(v, at + ".company", in.company(), FieldRules.MAX_NAME, false);
        if (id == null && first == null && last == null && company == null && email == null) {
            v.add(at + ".id", "REQUIRED", at + " needs an id, a name, an email or a company.");
        }
        return new Party(id, first, last, email, company);
    }
}
