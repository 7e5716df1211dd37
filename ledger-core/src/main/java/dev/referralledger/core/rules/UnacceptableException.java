package dev.referralledger.core.rules;

/**
 * Every field is well-formed but together they break a rule of the program (e.g. a person referring
 * themselves): the request can never succeed as sent.
 */
public class UnacceptableException extends LedgerRuleException {

    public UnacceptableException(String code, String message) {
        super(code, message);
    }
}
