package dev.referralledger.projections.testing;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands events to projections the way a processor does (through their annotated handlers, with aggregate id,
 * sequence number, timestamp and tracking token), outside a unit of work, so each change is written at once.
 */
public final class Feed {

    private static final AtomicLong POSITION = new AtomicLong(1_000_000);

    private final List<AnnotationEventHandlerAdapter> adapters = new ArrayList<>();
    private final List<TrackedEventMessage<?>> applied = new ArrayList<>();

    public Feed(Object... projections) {
        for (Object projection : projections) {
            adapters.add(new AnnotationEventHandlerAdapter(projection));
        }
    }

    /** Applies one event of aggregate {@code aggregateId} with sequence number {@code sequence}. */
    public Feed apply(String aggregateId, long sequence, Instant at, Object payload) {
        var event = new GenericDomainEventMessage<>("Aggregate", aggregateId, sequence, payload, Map.of(),
                UUID.randomUUID().toString(), at);
        TrackedEventMessage<?> tracked = new GenericTrackedDomainEventMessage<>(
                new GlobalSequenceTrackingToken(POSITION.incrementAndGet()), event);
        handle(tracked);
        applied.add(tracked);
        return this;
    }

    /** Applies every event again, in the same order: what a processor does after a crash before its token moved. */
    public void replay() {
        List.copyOf(applied).forEach(this::handle);
    }

    private void handle(TrackedEventMessage<?> event) {
        for (AnnotationEventHandlerAdapter adapter : adapters) {
            if (adapter.canHandle(event)) {
                try {
                    adapter.handle(event);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot apply " + event.getPayloadType().getSimpleName(), e);
                }
            }
        }
    }
}
