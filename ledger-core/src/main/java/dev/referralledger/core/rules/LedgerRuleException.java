package dev.referralledger.core.rules;

/**
 * A command broke a domain rule. Each kind carries a stable machine code that the API reports as is.
 */
public abstract class LedgerRuleException extends RuntimeException {

    private final String code;

    protected LedgerRuleException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
