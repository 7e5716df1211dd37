package dev.referralledger.projections;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;

/**
 * New rows sent with {@code COPY … FROM STDIN} instead of {@code INSERT … SELECT FROM unnest}: PostgreSQL reads
 * them straight into the table without planning a statement or building arrays and rows from them. Only for rows
 * known to be new, as {@code COPY} has no {@code ON CONFLICT}: a rebuild lane's rows, which it alone writes into a
 * copy that it has already read ({@link TokenPositions#exactInThisThread()} says a thread is such a lane). Measured
 * in {@code psql} for 41,984 pipeline rows: 980–1,110 ms by {@code unnest}, 518–787 ms by {@code COPY}.
 *
 * <p>Values as {@link Unnest} takes them (text, numbers, booleans, {@link Timestamp}s, dates), in the text format:
 * a tab between columns, {@code \N} for null, backslash escapes for backslash, tab and line breaks.</p>
 */
public final class Copy {

    private Copy() {
    }

    /** Copies {@code rows} into {@code table}, each row's values in the order of {@code columns}. */
    public static void rows(JdbcTemplate jdbc, String table, String columns, List<Object[]> rows) {
        Text text = new Text(rows.size() * 256);
        for (Object[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                if (column > 0) {
                    text.ascii('\t');
                }
                append(text, row[column]);
            }
            text.ascii('\n');
        }
        String sql = "COPY " + table + " (" + columns + ") FROM STDIN";
        jdbc.execute((ConnectionCallback<Long>) connection -> {
            try {
                return connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(sql, new ByteArrayInputStream(text.bytes, 0, text.length));
            } catch (IOException e) {
                throw new SQLException("cannot copy rows into " + table, e);
            }
        });
    }

    private static void append(Text text, Object value) {
        if (value == null) {
            text.ascii("\\N");
        } else if (value instanceof Boolean b) {
            text.ascii(b ? 't' : 'f');
        } else if (value instanceof Timestamp timestamp) {
            text.timestamp(timestamp); // ISO 8601 in UTC with its Z: read the same whatever the DateStyle
        } else if (value instanceof BigDecimal number) {
            text.ascii(number.toPlainString());
        } else if (value instanceof Number || value instanceof java.time.LocalDate) {
            text.ascii(value.toString());
        } else {
            text.escaped(value.toString());
        }
    }

    /**
     * The rows' text, written straight into UTF-8 bytes. Built in a {@code StringBuilder}, then made a string, then
     * encoded, every byte was copied three times and every character appended one call at a time: 15% of a rebuild's
     * JVM samples (JFR), for the 250,000 pipeline rows of 1,000,000 events.
     */
    private static final class Text {
        byte[] bytes;
        int length;

        Text(int capacity) {
            bytes = new byte[Math.max(capacity, 64)];
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void ascii(char c) {
            room(1);
            bytes[length++] = (byte) c;
        }

        /** Text known to be ASCII without a character to escape: numbers, {@code \N}. */
        void ascii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
        }

        void timestamp(Timestamp timestamp) {
            room(TimestampText.MAX_LENGTH);
            int end = TimestampText.write(bytes, length, timestamp);
            if (end < 0) {
                ascii(timestamp.toInstant().toString()); // signs and wider years: the JDK's rules
            } else {
                length = end;
            }
        }

        /** Any text: backslash, tab and line breaks escaped, the rest in UTF-8 (a lone surrogate as '?', as the JDK). */
        void escaped(String text) {
            room(text.length() * 3); // the most a char takes: three bytes, or two for an escape or half a pair's four
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    switch (c) {
                        case '\\' -> escape('\\');
                        case '\t' -> escape('t');
                        case '\n' -> escape('n');
                        case '\r' -> escape('r');
                        default -> bytes[length++] = (byte) c;
                    }
                } else if (c < 0x800) {
                    bytes[length++] = (byte) (0xC0 | c >> 6);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int point = Character.toCodePoint(c, text.charAt(++i));
                        bytes[length++] = (byte) (0xF0 | point >> 18);
                        bytes[length++] = (byte) (0x80 | point >> 12 & 0x3F);
                        bytes[length++] = (byte) (0x80 | point >> 6 & 0x3F);
                        bytes[length++] = (byte) (0x80 | point & 0x3F);
                    } else {
                        bytes[length++] = '?';
                    }
                } else {
                    bytes[length++] = (byte) (0xE0 | c >> 12);
                    bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                }
            }
        }

        private void escape(char c) {
            bytes[length++] = '\\';
            bytes[length++] = (byte) c;
        }
    }
}
