package dev.referralledger.api.idempotency;

import dev.referralledger.core.rules.LedgerRuleException;

/** The key was already spent on a different request; answered 422. */
public class IdempotencyKeyReusedException extends LedgerRuleException {

    public IdempotencyKeyReusedException(String key) {
        super("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key " + key + " was already used with a different request.");
    }
}
