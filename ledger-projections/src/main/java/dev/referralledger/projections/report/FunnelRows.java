package dev.referralledger.projections.report;

import java.util.List;

/** A funnel's rows: most referrals first. */
public record FunnelRows(List<FunnelRow> rows) {
}
