package dev.referralledger.projections;

import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.Function;

/**
 * One statement for all the rows of a projection batch: each column travels as one array parameter and
 * {@code unnest} turns the arrays back into rows. A JDBC batch would still run one statement per row on the
 * server; this runs one per batch (replay of 200,000 events: 10,773 → 13,856 events/s for the pipeline;
 * attribution's 250,000 single-row inserts of a 1,000,000-event rebuild took 3.6 s of the server's time).
 *
 * <p>Every array is sent in the driver's binary format: text and varchar columns as {@code String[]}, int8, int4
 * and bool as boxed arrays, and any other type (numeric, timestamptz, date, jsonb) as text that the statement
 * casts ({@code ?::text[]::numeric[]}). An array of {@code Object} would go as one text literal instead, every
 * element quoted and escaped by the driver and parsed again by the server: 14% of a rebuild's samples in the
 * JVM.</p>
 */
public final class Unnest {

    private Unnest() {
    }

    /**
     * Runs {@code sqlWithArrays}, whose {@code %s} becomes the array parameters (one per entry of {@code types},
     * in column order, each of type {@code type[]}), with the columns of {@code rows}.
     */
    public static void update(JdbcTemplate jdbc, String sqlWithArrays, String[] types, List<Object[]> rows) {
        StringBuilder arrays = new StringBuilder();
        for (int column = 0; column < types.length; column++) {
            arrays.append(column == 0 ? "" : ", ").append("?::").append(wireType(types[column])).append("[]");
            if (!wireType(types[column]).equals(types[column])) {
                arrays.append("::").append(types[column]).append("[]");
            }
        }
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(sqlWithArrays.formatted(arrays));
            for (int column = 0; column < types.length; column++) {
                statement.setArray(column + 1, column(connection, types[column], rows, column));
            }
            return statement;
        });
    }

    /** The type an array of {@code type} is sent as: itself where the driver has a binary form, else text. */
    private static String wireType(String type) {
        return switch (type) {
            case "varchar", "text", "int8", "int4", "bool" -> type;
            default -> "text";
        };
    }

    private static Array column(Connection connection, String type, List<Object[]> rows, int column) throws SQLException {
        int n = rows.size();
        String wire = wireType(type);
        Object[] values = switch (wire) {
            case "int8" -> fill(rows, column, new Long[n], value -> ((Number) value).longValue());
            case "int4" -> fill(rows, column, new Integer[n], value -> ((Number) value).intValue());
            case "bool" -> fill(rows, column, new Boolean[n], value -> (Boolean) value);
            default -> fill(rows, column, new String[n], Unnest::text);
        };
        return connection.createArrayOf(wire, values);
    }

    /** {@code values} (typed, so that the driver picks its binary form) filled with the column, nulls kept. */
    private static <T> T[] fill(List<Object[]> rows, int column, T[] values, Function<Object, T> convert) {
        for (int row = 0; row < values.length; row++) {
            Object value = rows.get(row)[column];
            values[row] = value == null ? null : convert.apply(value);
        }
        return values;
    }

    /** The text PostgreSQL reads the value from: instants in UTC with their offset, numbers without exponent. */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return TimestampText.of(timestamp);
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return value.toString();
    }
}
