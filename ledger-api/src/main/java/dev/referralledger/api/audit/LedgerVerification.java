package dev.referralledger.api.audit;

import dev.referralledger.api.projection.ProjectionVerification;
import org.springframework.stereotype.Component;

/**
 * The whole verification an auditor asks for: the events' hash chains and checkpoints walked (a changed, removed
 * or inserted event named by its first broken link), then every projection recomputed from the events and
 * compared with the live tables.
 */
@Component
public class LedgerVerification {

    /** {@code ok} only when no link is broken and no projection row differs. */
    public record Report(boolean ok, EventChainVerifier.Report events, ProjectionVerification.Report projections) {
    }

    private final EventChainVerifier events;
    private final ProjectionVerification projections;

    public LedgerVerification(EventChainVerifier events, ProjectionVerification projections) {
        this.events = events;
        this.projections = projections;
    }

    public Report verify() throws InterruptedException {
        EventChainVerifier.Report chains = events.verify();
        ProjectionVerification.Report recomputed = projections.verify();
        return new Report(chains.ok() && recomputed.same(), chains, recomputed);
    }
}
