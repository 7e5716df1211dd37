package dev.referralledger.core.rules;

import java.util.Map;

/**
 * The command collides with the ledger's current state (a paused program, a person already referred):
 * retrying the same command will not help until that state changes. {@code details} name what it collided with.
 */
public class ConflictException extends LedgerRuleException {

    private final Map<String, Object> details;

    public ConflictException(String code, String message, Map<String, Object> details) {
        super(code, message);
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Map<String, Object> details() {
        return details;
    }
}
