package dev.referralledger.projections.storage;

import dev.referralledger.projections.TimestampText;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written timestamp text is the JDK's, character for character, on every kind of instant. */
class TimestampTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        String[] edges = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z",
                "2026-12-07T22:00:48.145Z", "2026-12-07T22:00:48.145123Z", "2026-12-07T22:00:48.000000001Z",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1900-03-01T01:02:03.000010Z"};
        for (String edge : edges) {
            Instant instant = Instant.parse(edge);
            assertThat(TimestampText.of(Timestamp.from(instant))).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), nanos);
            assertThat(TimestampText.of(Timestamp.from(instant))).isEqualTo(instant.toString());
        }
        Instant wide = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(TimestampText.of(Timestamp.from(wide))).isEqualTo(wide.toString());
    }
}
