package dev.referralledger.projections.storage;

import dev.referralledger.projections.Copy;
import dev.referralledger.projections.Unnest;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched writes of the projections send every column as one array in the driver's binary form, and a rebuild
 * lane's new rows go by {@code COPY} in its text form: either way, what is read back is exactly what was written,
 * whatever the characters, and an instant is the same instant whatever the session's time zone.
 */
class UnnestTest {

    private static final String[] TYPES = {"varchar", "text", "int8", "int4", "bool", "numeric", "timestamptz", "date",
            "jsonb"};

    @Test
    void everyColumnTypeRoundTripsWithNullsAndAwkwardText() {
        roundTrip((jdbc, rows) -> Unnest.update(jdbc, "INSERT INTO unnest_probe (s, t, big, small, yes, amount, at, day, doc) "
                + "SELECT * FROM unnest(%s)", TYPES, rows));
    }

    @Test
    void aCopyOfNewRowsReadsBackTheSame() {
        roundTrip((jdbc, rows) -> Copy.rows(jdbc, "unnest_probe", "s, t, big, small, yes, amount, at, day, doc", rows));
    }

    private static void roundTrip(java.util.function.BiConsumer<JdbcTemplate, List<Object[]>> write) {
        List<String> awkward = List.of("", "NULL", "\\N", "a,b", "{braces}", "quote \" and back\\slash", "O'Brien",
                "  spaced  ", "Zoë 🌱 名前", "line\nbreak", "tab\there", "carriage\r\nreturn", "trailing\\");
        Instant at = Instant.parse("2026-03-29T01:30:00.123456Z"); // the hour Europe's clocks go forward
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < awkward.size(); i++) {
            rows.add(new Object[]{awkward.get(i), awkward.get(awkward.size() - 1 - i), 9_007_199_254_740_993L + i, -i,
                    i % 2 == 0, new BigDecimal("12345678901234567890.0123456789").negate().add(BigDecimal.valueOf(i)),
                    Timestamp.from(at.plusSeconds(i)), LocalDate.of(2026, 2, 28).plusDays(i),
                    "{\"name\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(awkward.get(i)) + "}"});
        }
        rows.add(new Object[]{null, null, null, null, null, null, null, null, null});

        try (SingleConnectionDataSource connection = new SingleConnectionDataSource(TestDatabase.url(), TestDatabase.user(),
                TestDatabase.password(), true)) {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            jdbc.execute("SET TIME ZONE 'America/St_Johns'"); // an offset of hours and a half, never the JVM's
            jdbc.execute("""
                    CREATE TEMPORARY TABLE unnest_probe (n serial, s varchar, t text, big int8, small int4, yes bool,
                        amount numeric, at timestamptz, day date, doc jsonb)""");
            write.accept(jdbc, rows);

            List<Map<String, Object>> read = jdbc.queryForList("""
                    SELECT s, t, big, small, yes, amount, extract(epoch FROM at) * 1000000 AS micros, day::text AS day,
                           doc ->> 'name' AS name
                    FROM unnest_probe ORDER BY n""");
            assertThat(read).hasSize(rows.size());
            for (int i = 0; i < awkward.size(); i++) {
                Map<String, Object> row = read.get(i);
                assertThat(row.get("s")).isEqualTo(awkward.get(i));
                assertThat(row.get("t")).isEqualTo(awkward.get(awkward.size() - 1 - i));
                assertThat(row.get("big")).isEqualTo(9_007_199_254_740_993L + i);
                assertThat(row.get("small")).isEqualTo(-i);
                assertThat(row.get("yes")).isEqualTo(i % 2 == 0);
                assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo(rows.get(i)[5].toString());
                assertThat(((BigDecimal) row.get("micros")).longValueExact())
                        .isEqualTo((at.getEpochSecond() + i) * 1_000_000 + at.getNano() / 1_000);
                assertThat(row.get("day")).isEqualTo(LocalDate.of(2026, 2, 28).plusDays(i).toString());
                assertThat(row.get("name")).isEqualTo(awkward.get(i));
            }
            assertThat(read.get(awkward.size()).values()).containsOnlyNulls();
        }
    }
}
