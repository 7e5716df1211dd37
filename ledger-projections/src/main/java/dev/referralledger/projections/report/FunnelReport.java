package dev.referralledger.projections.report;

import java.time.LocalDate;

/**
 * The funnel of one tenant grouped by program, advocate or channel: impressions that happened and referrals
 * received on the UTC days {@code from} (inclusive) to {@code to} (exclusive), and the stages those referrals
 * reached since. A null bound is open; {@code programId} narrows to one program.
 */
public record FunnelReport(String tenantId, Dimension groupBy, String programId, LocalDate from, LocalDate to,
                           int limit) {

    public enum Dimension {
        PROGRAM("program_id"), ADVOCATE("advocate_id"), CHANNEL("channel");

        final String column;

        Dimension(String column) {
            this.column = column;
        }
    }
}
