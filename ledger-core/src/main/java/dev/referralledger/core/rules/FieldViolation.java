package dev.referralledger.core.rules;

/**
 * One reason a command was refused, tied to the input field that caused it.
 *
 * @param field   the offending field as a JSON path, e.g. {@code referred.email} or {@code contacts[1].email}
 * @param code    a stable machine code such as {@code INVALID_EMAIL}; callers branch on it, so it never changes
 * @param message a sentence for people
 */
public record FieldViolation(String field, String code, String message) {
}
