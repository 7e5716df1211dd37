package dev.referralledger.api.config;

import dev.referralledger.core.rules.ConflictException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures the gateway runs again: only an append overtaken by another writer, and only a few times. */
class ConcurrentChangeRetryTest {

    private final ConcurrentChangeRetry retry = new ConcurrentChangeRetry();
    private final AtomicInteger dispatched = new AtomicInteger();

    private boolean retried(RuntimeException failure, int failuresSoFar) {
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        for (int i = 0; i < failuresSoFar; i++) {
            failures.add(new Class[]{failure.getClass()});
        }
        return retry.scheduleRetry(GenericCommandMessage.asCommandMessage("a command"), failure, failures,
                dispatched::incrementAndGet);
    }

    @Test
    void anOvertakenAppendRunsAgainAtOnceUpToThreeTimes() {
        ConcurrencyException overtaken = new ConcurrencyException("sequence 2 taken");
        assertThat(retried(overtaken, 1)).isTrue();
        assertThat(retried(new IllegalStateException("wrapped", overtaken), 3)).isTrue();
        assertThat(dispatched).hasValue(2);
        assertThat(retried(overtaken, ConcurrentChangeRetry.MAX_RETRIES + 1)).isFalse();
        assertThat(dispatched).hasValue(2);
    }

    @Test
    void refusalsTakenIdsAndStorageFailuresAreAnsweredAsTheyAre() {
        assertThat(retried(new ConflictException("REWARD_ALREADY_SENT", "sent", Map.of()), 1)).isFalse();
        assertThat(retried(new AggregateStreamCreationException("id taken"), 1)).isFalse();
        assertThat(retried(new EventStoreException("disk full"), 1)).isFalse();
        assertThat(dispatched).hasValue(0);
    }
}
