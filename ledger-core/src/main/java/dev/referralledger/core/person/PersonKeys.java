package dev.referralledger.core.person;

import java.util.Collection;

/**
 * The keys that encrypt each person's personal data in the event store. Erasing a person destroys theirs.
 */
public interface PersonKeys {

    /**
     * Destroys the key of {@code personId} and those of {@code invitationIds} (recording that it was erased, even when the person never had one,
     * so that no new key is made for them) and forgets what else outside the events names them: stored API
     * responses mentioning the person id or one of {@code identifiers} (their email, phone, external id).
     * Joins the transaction of the command being handled.
     *
     * @return whether the person had a key or data of their own before (false: unknown person)
     */
    boolean destroy(String tenantId, String personId, Collection<String> identifiers,
                    Collection<String> invitationIds);
}
