package dev.referralledger.api.config;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an instant written as plain UTC text, {@code 2026-11-21T21:52:29.109Z} (0 to 9 digits of fraction): how
 * Axon stores an event's time and how the storage mapper writes every {@link Instant} of an event. By hand, because
 * the JDK's general ISO parser was a third of the event reader's CPU in a rebuild, and much of the JIT compiler's
 * work in the first one. Anything else (an offset, a sign, an impossible date) answers null, for the general parser
 * to read or refuse.
 */
final class UtcInstantText {

    private UtcInstantText() {
    }

    static Instant parse(String text) {
        int length = text == null ? 0 : text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, 20 + fraction);
            for (int i = fraction; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || nanos < 0
                || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number written by the characters [from, to), or -1 when one of them is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
