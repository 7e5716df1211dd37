package dev.referralledger.core.person;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;

import java.util.UUID;

/**
 * Finds the person of the tenant behind an email, a phone or an external id, or gives a new person an id.
 * Email is tried first, then phone, then external id; a known person's other keys are claimed for them too,
 * so that the next referral that only carries the phone finds the same person.
 */
public final class People {

    private People() {
    }

    /** What resolving found: the person's id and whether this command introduced them. */
    public record Resolved(String personId, boolean isNew) {
    }

    /** @return null when nothing identifies the person (values must be normalized already) */
    public static Resolved resolve(Lookups lookups, String tenantId, String email, String phone, String externalId) {
        String candidate = UUID.randomUUID().toString();
        String personId = null;
        boolean isNew = false;
        LookupKind[] kinds = {LookupKind.PERSON_EMAIL, LookupKind.PERSON_PHONE, LookupKind.PERSON_EXTERNAL_ID};
        String[] keys = {email, phone, externalId};
        for (int i = 0; i < kinds.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            Lookups.Entry entry = lookups.claim(tenantId, kinds[i], keys[i], personId != null ? personId : candidate,
                    null, null, null);
            if (personId == null) {
                personId = entry.ownerId();
                isNew = entry.claimedNow();
            }
        }
        return personId == null ? null : new Resolved(personId, isNew);
    }
}
