package dev.referralledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/** Runs a step once the current unit of work's transaction has committed (at once when there is none). */
public final class AfterCommit {

    private AfterCommit() {
    }

    public static void run(Runnable step) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> step.run());
        } else {
            step.run();
        }
    }
}
