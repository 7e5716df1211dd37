package dev.referralledger.api.audit;

import dev.referralledger.api.projection.ProjectionVerification;
import org.springframework.stereotype.Component;

/**
 * The whole verification an auditor asks for: every projection recomputed from the events and compared with
 * the live tables.
 */
@Component
public class LedgerVerification {

    /** {@code ok} only when nothing differs. */
    public record Report(boolean ok, ProjectionVerification.Report projections) {
    }

    private final ProjectionVerification projections;

    public LedgerVerification(ProjectionVerification projections) {
        this.projections = projections;
    }

    public Report verify() throws InterruptedException {
        ProjectionVerification.Report recomputed = projections.verify();
        return new Report(recomputed.same(), recomputed);
    }
}
