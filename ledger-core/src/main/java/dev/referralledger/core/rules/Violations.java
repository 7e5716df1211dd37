package dev.referralledger.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every failing field of one command, so that a caller learns all of its mistakes in one answer
 * instead of fixing them one request at a time.
 */
public final class Violations {

    private final List<FieldViolation> found = new ArrayList<>();

    public void add(String field, String code, String message) {
        found.add(new FieldViolation(field, code, message));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<FieldViolation> list() {
        return List.copyOf(found);
    }

    /** Throws when anything was found; called once, after every field has been checked. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidCommandException(found);
        }
    }
}
