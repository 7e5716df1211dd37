package dev.referralledger.api.config;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.List;

/**
 * Runs a command again when another writer appended to its aggregate between the load and the append (the event
 * store's unique sequence number refused the event): the second run decides on the new state and gives the answer
 * the caller would have had one moment later (a reward already sent: 409 {@code REWARD_ALREADY_SENT}), instead of
 * a server error. In one process the repository's lock already serializes commands on one aggregate; this covers
 * several processes on one database, and a writer outside the application.
 * <p>
 * Only that conflict is run again. A conflict on an aggregate's first event is not (Axon reports it as an
 * {@code AggregateStreamCreationException}): its id was taken, and a second run would be refused the same way.
 * Domain refusals are never run again.
 */
final class ConcurrentChangeRetry implements RetryScheduler {

    /** Each run reloads the aggregate; three writers in a row overtaking one command is already improbable. */
    static final int MAX_RETRIES = 3;

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
        if (failures.size() > MAX_RETRIES || !isConcurrentAppend(lastFailure)) {
            return false;
        }
        // the failed unit of work has ended: dispatching again on this thread starts a fresh one
        commandDispatch.run();
        return true;
    }

    static boolean isConcurrentAppend(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
