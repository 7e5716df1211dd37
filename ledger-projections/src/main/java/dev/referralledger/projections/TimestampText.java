package dev.referralledger.projections;

import java.sql.Timestamp;
import java.time.LocalDate;

/**
 * A timestamp as PostgreSQL reads it back, written the way {@link java.time.Instant#toString()} writes it (ISO 8601
 * in UTC with its {@code Z}, the fraction in groups of three digits) but without the JDK's general formatter, which
 * was 7% of a rebuild lane's samples: every pipeline row sent by {@code COPY} carries several times.
 */
public final class TimestampText {

    private static final int SECONDS_PER_DAY = 86_400;

    private TimestampText() {
    }

    public static String of(Timestamp timestamp) {
        StringBuilder text = new StringBuilder(30);
        append(text, timestamp);
        return text.toString();
    }

    public static void append(StringBuilder text, Timestamp timestamp) {
        long seconds = Math.floorDiv(timestamp.getTime(), 1000L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        if (date.getYear() < 1 || date.getYear() > 9999) {
            text.append(timestamp.toInstant()); // signs and wider years: the JDK's rules
            return;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // written into an array first and appended at once: a builder's append per character, each checking its
        // room and coding, was most of the time (JFR: 15% of a pipeline lane's samples)
        char[] chars = new char[30];
        int at = digits(chars, 0, date.getYear(), 4);
        chars[at++] = '-';
        at = digits(chars, at, date.getMonthValue(), 2);
        chars[at++] = '-';
        at = digits(chars, at, date.getDayOfMonth(), 2);
        chars[at++] = 'T';
        at = digits(chars, at, secondOfDay / 3600, 2);
        chars[at++] = ':';
        at = digits(chars, at, secondOfDay / 60 % 60, 2);
        chars[at++] = ':';
        at = digits(chars, at, secondOfDay % 60, 2);
        int nanos = timestamp.getNanos();
        if (nanos > 0) {
            chars[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(chars, at, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                at = digits(chars, at, nanos / 1000, 6);
            } else {
                at = digits(chars, at, nanos, 9);
            }
        }
        chars[at++] = 'Z';
        text.append(chars, 0, at);
    }

    /** {@code value} in {@code width} digits, zeros in front, from {@code at}; answers where the digits end. */
    private static int digits(char[] chars, int at, int value, int width) {
        int end = at + width;
        for (int i = end - 1; i >= at; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }
}
