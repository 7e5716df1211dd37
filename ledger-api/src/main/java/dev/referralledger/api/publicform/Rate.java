package dev.referralledger.api.publicform;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A rate limit as configured: {@code <requests>/<window>}, the window being {@code s}, {@code min}, {@code h},
 * {@code day} or an ISO-8601 duration ({@code 20/PT30S}).
 */
record Rate(long requests, Duration window) {

    Rate {
        if (requests < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate needs at least one request in a positive window");
        }
    }

    static Rate parse(String setting, String value) {
        String[] parts = value == null ? new String[0] : value.trim().split("/", 2);
        try {
            if (parts.length == 2) {
                return new Rate(Long.parseLong(parts[0].trim()), window(parts[1].trim()));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below, with the setting's name
        }
        throw new IllegalArgumentException(setting + " must look like 10/min (requests per s, min, h, day or an "
                + "ISO-8601 duration), not '" + value + "'");
    }

    private static Duration window(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            case "d", "day" -> Duration.ofDays(1);
            default -> Duration.parse(unit);
        };
    }

    /** The IETF RateLimit-Policy item: {@code 10;w=60}. */
    String policy() {
        return requests + ";w=" + window.toSeconds();
    }
}
