package dev.referralledger.core.rules;

import java.util.List;

/** The input was refused as a whole: every failing field is listed, nothing was written. */
public class InvalidCommandException extends LedgerRuleException {

    private final List<FieldViolation> violations;

    public InvalidCommandException(List<FieldViolation> violations) {
        super("VALIDATION_FAILED", violations.size() + " field(s) are invalid");
        this.violations = List.copyOf(violations);
    }

    /** One failing field. */
    public static InvalidCommandException of(String field, String code, String message) {
        return new InvalidCommandException(List.of(new FieldViolation(field, code, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
