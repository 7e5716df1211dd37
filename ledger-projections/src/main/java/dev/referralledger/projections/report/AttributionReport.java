package dev.referralledger.projections.report;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Revenue and reward cost of one tenant grouped by {@code groupBy} and currency, over the UTC days
 * {@code from} (inclusive) to {@code to} (exclusive); a null bound is open, a null currency means every currency.
 * With {@code asOf}, only what the ledger had recorded by then (entries whose event was recorded at or before it).
 */
public record AttributionReport(String tenantId, Dimension groupBy, LocalDate from, LocalDate to, String currency,
                                int limit, Instant asOf) {

    public AttributionReport(String tenantId, Dimension groupBy, LocalDate from, LocalDate to, String currency,
                             int limit) {
        this(tenantId, groupBy, from, to, currency, limit, null);
    }

    /** What a report groups by, and the column that holds it. */
    public enum Dimension {
        ADVOCATE("advocate_id"), PROGRAM("program_id"), CHANNEL("channel"), AGENT("agent_id");

        final String column;

        Dimension(String column) {
            this.column = column;
        }
    }
}
