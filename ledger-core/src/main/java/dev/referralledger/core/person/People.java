package dev.referralledger.core.person;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Finds the person of the tenant behind an email, a phone or an external id, or gives a new person an id.
 * The first identifier given decides (email, then phone, then external id): its holder is the person, or a new
 * person when nobody holds it. The person's other identifiers nobody holds yet are claimed for them, so that the
 * next referral that only carries the phone finds the same person.
 *
 * <p>All the people of one command are resolved together: one read of every identifier, then one claim of the
 * free ones (a referral's advocate and referred person: two round trips instead of four or five).</p>
 */
public final class People {

    private static final LookupKind[] KINDS = {LookupKind.PERSON_EMAIL, LookupKind.PERSON_PHONE,
            LookupKind.PERSON_EXTERNAL_ID};

    private People() {
    }

    /** How a person is identified; values must be normalized already. */
    public record Identity(String email, String phone, String externalId) {

        List<Lookups.Key> keys() {
            List<Lookups.Key> keys = new ArrayList<>(3);
            String[] values = {email, phone, externalId};
            for (int i = 0; i < KINDS.length; i++) {
                if (values[i] != null) {
                    keys.add(new Lookups.Key(KINDS[i], values[i]));
                }
            }
            return keys;
        }
    }

    /** What resolving found: the person's id and whether this command introduced them. */
    public record Resolved(String personId, boolean isNew) {
    }

    /** @return null when nothing identifies the person */
    public static Resolved resolve(Lookups lookups, String tenantId, String email, String phone, String externalId) {
        return resolve(lookups, tenantId, new Identity(email, phone, externalId)).get(0);
    }

    /**
     * Resolves each identity in turn, as if one after the other: an identifier shared by two of them names one
     * person (an advocate referring themselves is found out).
     *
     * @param identities null entries allowed
     * @return one per identity, in order; null where nothing identifies the person
     */
    public static List<Resolved> resolve(Lookups lookups, String tenantId, Identity... identities) {
        Map<Lookups.Key, Lookups.Entry> held = new HashMap<>();
        List<Lookups.Key> wanted = new ArrayList<>();
        for (Identity identity : identities) {
            if (identity != null) {
                for (Lookups.Key key : identity.keys()) {
                    if (!wanted.contains(key)) {
                        wanted.add(key);
                    }
                }
            }
        }
        if (!wanted.isEmpty()) {
            List<Lookups.Entry> found = lookups.findAll(tenantId, wanted);
            for (int i = 0; i < wanted.size(); i++) {
                if (found.get(i) != null) {
                    held.put(wanted.get(i), found.get(i));
                }
            }
        }
        // decide in memory; claim every free identifier at once
        Map<Lookups.Key, String> owners = new HashMap<>();
        held.forEach((key, entry) -> owners.put(key, entry.ownerId()));
        Map<Lookups.Key, String> claims = new LinkedHashMap<>();
        List<Lookups.Key> deciding = new ArrayList<>();
        List<Resolved> resolved = new ArrayList<>();
        for (Identity identity : identities) {
            List<Lookups.Key> keys = identity == null ? List.of() : identity.keys();
            if (keys.isEmpty()) {
                resolved.add(null);
                deciding.add(null);
                continue;
            }
            Lookups.Key first = keys.get(0);
            String personId = owners.get(first);
            boolean isNew = personId == null;
            if (isNew) {
                personId = UUID.randomUUID().toString();
            }
            for (Lookups.Key key : keys) {
                if (!owners.containsKey(key)) {
                    owners.put(key, personId);
                    claims.put(key, personId);
                }
            }
            resolved.add(new Resolved(personId, isNew));
            deciding.add(first);
        }
        if (claims.isEmpty()) {
            return resolved;
        }
        List<Lookups.Claim> toClaim = new ArrayList<>();
        claims.forEach((key, owner) -> toClaim.add(new Lookups.Claim(key.kind(), key.key(), owner)));
        List<Lookups.Entry> outcome = lookups.claimAll(tenantId, toClaim);
        // Another command claimed a deciding identifier first (both saw it free): its person is this one too,
        // and the identifiers claimed here for the person that lost are handed over to it.
        Map<String, String> lostTo = new HashMap<>();
        List<Lookups.Key> claimedKeys = new ArrayList<>(claims.keySet());
        for (int i = 0; i < claimedKeys.size(); i++) {
            Lookups.Entry entry = outcome.get(i);
            if (!entry.claimedNow() && deciding.contains(claimedKeys.get(i))) {
                lostTo.put(claims.get(claimedKeys.get(i)), entry.ownerId());
            }
        }
        if (lostTo.isEmpty()) {
            return resolved;
        }
        for (int i = 0; i < claimedKeys.size(); i++) {
            String winner = lostTo.get(claims.get(claimedKeys.get(i)));
            if (winner != null && outcome.get(i).claimedNow()) {
                lookups.put(tenantId, claimedKeys.get(i).kind(), claimedKeys.get(i).key(), winner, null, null);
            }
        }
        List<Resolved> settled = new ArrayList<>(resolved.size());
        for (Resolved r : resolved) {
            String winner = r == null ? null : lostTo.get(r.personId());
            settled.add(winner == null ? r : new Resolved(winner, false));
        }
        return settled;
    }
}
