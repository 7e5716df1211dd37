package dev.referralledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Runs a step just before the current processor batch commits, after the batch writes registered before it
 * (at once when there is no unit of work): a change that must land on rows an earlier event of the same
 * batch is still collecting, such as an erasure.
 */
public final class BeforeCommit {

    private BeforeCommit() {
    }

    public static void run(Runnable step) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().onPrepareCommit(u -> step.run());
        } else {
            step.run();
        }
    }
}
