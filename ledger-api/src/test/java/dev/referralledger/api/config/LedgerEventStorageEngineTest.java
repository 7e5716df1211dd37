package dev.referralledger.api.config;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-made parser of stored event times reads every text exactly as Axon's formatter does. */
class LedgerEventStorageEngineTest {

    @Test
    void readsWhatAxonWritesAsAxonReadsIt() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            // from 1900 to 2200, any nanosecond
            Instant at = Instant.ofEpochSecond(-2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L),
                    random.nextInt(1_000_000_000));
            String stored = DateTimeUtils.formatInstant(at);
            assertThat(LedgerEventStorageEngine.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    @Test
    void everyLengthOfFractionAndTheEdgesOfTheCalendar() {
        List<String> texts = List.of("2026-11-21T21:52:29Z", "2026-11-21T21:52:29.1Z", "2026-11-21T21:52:29.12Z",
                "2026-11-21T21:52:29.123Z", "2026-11-21T21:52:29.1234Z", "2026-11-21T21:52:29.123456Z",
                "2026-11-21T21:52:29.123456789Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "2000-12-31T00:00:00.000Z",
                // not plain UTC: left to Axon's formatter
                "2026-11-21T21:52:29+01:00", "2026-11-21T21:52:29.5+05:30");
        for (String text : texts) {
            assertThat(LedgerEventStorageEngine.parse(text)).as(text).isEqualTo(DateTimeUtils.parseInstant(text));
        }
    }

    @Test
    void oddTextEndsAsItDoesInAxonWhetherReadOrRefused() {
        // Axon's formatter resolves some of these (29 February 2025 becomes the 28th, 24:00 the next day)
        for (String text : List.of("2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z",
                "2026-11-21T21:52:29.Z", "2026-11-21T21:5a:29Z", "2026-11-21T21:52:29.1234567890Z", "yesterday")) {
            Instant axon;
            try {
                axon = DateTimeUtils.parseInstant(text);
            } catch (RuntimeException refused) {
                assertThatThrownBy(() -> LedgerEventStorageEngine.parse(text)).as(text).isInstanceOf(refused.getClass());
                continue;
            }
            assertThat(LedgerEventStorageEngine.parse(text)).as(text).isEqualTo(axon);
        }
    }
}
