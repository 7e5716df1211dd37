package dev.referralledger.core.lookup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command side's lookup table: keys that must be unique within a tenant (a referral code, a program slug,
 * a person's email), and the few facts a command must read consistently from other aggregates (a program's
 * terms, what an impression points to).
 *
 * <p>Every call joins the transaction of the command being handled: a claim made by a command that is then
 * refused is rolled back with it, and two commands claiming the same key at once are serialized by the
 * database, so the second sees the first one's claim (set-based validation without a check-then-act race).
 * Everything in it is derived from events and can be rebuilt from them.</p>
 */
public interface Lookups {

    /** A tenant id for keys that are unique across all tenants (public agent slugs). */
    String ALL_TENANTS = "*";

    /**
     * Claims {@code key} for {@code ownerId}. An expired claim is taken over.
     *
     * @return the live entry after the call: the caller's own ({@link Entry#claimedNow()} true), or the one
     * that held the key already
     */
    Entry claim(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail,
                Instant expiresAt);

    /** One key of {@link #findAll} and {@link #claimAll}. */
    record Key(LookupKind kind, String key) {
    }

    /** A key to claim for {@code ownerId}, as {@link #claim} takes it. */
    record Claim(LookupKind kind, String key, String ownerId, String scopeId, String detail, Instant expiresAt) {

        /** Without scope, detail or expiry: a person's email, phone, external id. */
        public Claim(LookupKind kind, String key, String ownerId) {
            this(kind, key, ownerId, null, null, null);
        }
    }

    /**
     * The live entries of several keys, in the order given (null where a key is free): {@link #find} for each,
     * which a database answers in one round trip.
     */
    default List<Entry> findAll(String tenantId, List<Key> keys) {
        List<Entry> found = new ArrayList<>(keys.size());
        for (Key k : keys) {
            found.add(find(tenantId, k.kind(), k.key()).orElse(null));
        }
        return found;
    }

    /**
     * {@link #claim} of several keys, answered in the order given; a database claims them in one statement,
     * without looking first (for keys expected to be free). Claims the same key at most once per call.
     */
    default List<Entry> claimAll(String tenantId, List<Claim> claims) {
        List<Entry> entries = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            entries.add(claim(tenantId, c.kind(), c.key(), c.ownerId(), c.scopeId(), c.detail(), c.expiresAt()));
        }
        return entries;
    }

    /** Writes {@code key} whoever held it before (facts kept current, such as a program's terms). */
    void put(String tenantId, LookupKind kind, String key, String ownerId, String scopeId, String detail);

    /** Gives up {@code key} if {@code ownerId} holds it (e.g. a rejected referral's claim on a person). */
    void release(String tenantId, LookupKind kind, String key, String ownerId);

    /**
     * Releases every key that names {@code personId} by personal data: their email, phone and external id, and
     * the invitations sent to those identifiers (erasure).
     *
     * @return the person's released identifiers and the ids of the invitations sent to them
     */
    ReleasedPerson releasePerson(String tenantId, String personId);

    /** What {@link #releasePerson} gave up. */
    record ReleasedPerson(List<String> identifiers, List<String> invitationIds) {

        public int count() {
            return identifiers.size() + invitationIds.size();
        }
    }

    /** The live (unexpired) entry of {@code key}, if any. */
    Optional<Entry> find(String tenantId, LookupKind kind, String key);

    /**
     * Counts one more referral of an advocate in a program at {@code at} and answers how many it made in the
     * hour before (this one included): the velocity rule's input.
     */
    int countReferralInLastHour(String tenantId, String programId, String advocateId, Instant at);

    /**
     * Reads counter {@code key} (zero when new) and locks it until the command's transaction ends, so that a
     * concurrent command reading the same counter waits for this one's {@link #addToCounter}: reward caps and
     * conversion counts are never read stale. Lock several counters in the same order everywhere.
     */
    java.math.BigDecimal lockCounter(String tenantId, String key);

    /** Adds {@code amount} to counter {@code key} (locked first with {@link #lockCounter}). */
    void addToCounter(String tenantId, String key, java.math.BigDecimal amount);

    /** A key's holder: who owns it, in which scope (e.g. the program of a referral code), and details. */
    record Entry(String ownerId, String scopeId, String detail, boolean claimedNow) {
    }
}
