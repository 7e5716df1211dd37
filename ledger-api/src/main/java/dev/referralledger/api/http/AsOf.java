package dev.referralledger.api.http;

import dev.referralledger.core.rules.InvalidCommandException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The {@code asOf} parameter of the audit reads: an ISO-8601 instant; one in the future means now. */
public final class AsOf {

    private AsOf() {
    }

    public static Instant parse(String value) {
        Instant at = null;
        if (value != null && !value.isBlank()) {
            try {
                at = OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        if (at == null) {
            throw InvalidCommandException.of("asOf", "INVALID_INSTANT",
                    "asOf must be an ISO-8601 instant such as 2026-11-21T17:00:00Z.");
        }
        Instant now = Instant.now();
        return at.isAfter(now) ? now : at;
    }
}
