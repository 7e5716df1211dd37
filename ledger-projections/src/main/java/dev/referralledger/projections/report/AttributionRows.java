package dev.referralledger.projections.report;

import java.util.List;

/** An attribution report's rows: highest net revenue first. */
public record AttributionRows(List<AttributionRow> rows) {
}
