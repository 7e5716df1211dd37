package dev.referralledger.projections;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;

/**
 * A timestamp as PostgreSQL reads it back, written the way {@link java.time.Instant#toString()} writes it (ISO 8601
 * in UTC with its {@code Z}, the fraction in groups of three digits) but without the JDK's general formatter, which
 * was 7% of a rebuild lane's samples: every pipeline row sent by {@code COPY} carries several times. Written as
 * ASCII bytes, which {@link Copy} sends as they are.
 */
public final class TimestampText {

    private static final int SECONDS_PER_DAY = 86_400;

    /** The most bytes {@link #write} writes. */
    static final int MAX_LENGTH = 30;

    private TimestampText() {
    }

    public static String of(Timestamp timestamp) {
        byte[] text = new byte[MAX_LENGTH];
        int end = write(text, 0, timestamp);
        return end < 0 ? timestamp.toInstant().toString() : new String(text, 0, end, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the text into {@code text} from {@code at} (room for {@value #MAX_LENGTH} bytes) and answers where it
     * ends; or writes nothing and answers -1 for a year before 1 or after 9999, which the JDK writes with a sign.
     */
    static int write(byte[] text, int at, Timestamp timestamp) {
        long seconds = Math.floorDiv(timestamp.getTime(), 1000L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return -1;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        at = digits(text, at, date.getYear(), 4);
        text[at++] = '-';
        at = digits(text, at, date.getMonthValue(), 2);
        text[at++] = '-';
        at = digits(text, at, date.getDayOfMonth(), 2);
        text[at++] = 'T';
        at = digits(text, at, secondOfDay / 3600, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay / 60 % 60, 2);
        text[at++] = ':';
        at = digits(text, at, secondOfDay % 60, 2);
        int nanos = timestamp.getNanos();
        if (nanos > 0) {
            text[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(text, at, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                at = digits(text, at, nanos / 1000, 6);
            } else {
                at = digits(text, at, nanos, 9);
            }
        }
        text[at++] = 'Z';
        return at;
    }

    /** {@code value} in {@code width} digits, zeros in front, from {@code at}; answers where the digits end. */
    private static int digits(byte[] text, int at, int value, int width) {
        int end = at + width;
        for (int i = end - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }
}
