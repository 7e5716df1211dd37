package dev.referralledger.core.rules;

/**
 * The thing does not exist for this tenant. Another tenant's id is reported exactly like an unknown id,
 * so that ids never leak across tenants.
 */
public class NotFoundException extends LedgerRuleException {

    public NotFoundException(String what, String id) {
        super("NOT_FOUND", what + " " + id + " was not found");
    }
}
