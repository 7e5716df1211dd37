package dev.referralledger.api.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Rebuilds every projection from the event store in one pass: the event processors are stopped, each
 * projection's tables are cleared by its reset handler, the events are read once and handed to one worker per
 * processing group and segment (each applies them in ledger order, in transactions of {@value #BATCH} events,
 * exactly as its processor would; a processor with several segments is split by aggregate, as its segments are), then every processor's token is set to the last event read and the processors start
 * again, taking over whatever arrived meanwhile.
 *
 * <p>Faster than resetting the processors' tokens: the events are read and deserialized once for all
 * projections instead of once per processor, and nothing waits on token bookkeeping. Run it on one node: other
 * nodes' processors must be stopped while it runs.</p>
 */
@Component
public class ProjectionRebuild {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);
    /**
     * Events per transaction. Large, because most of a rebuild's cost is in PostgreSQL: with 10,000 events a
     * referral's events mostly fall into one batch and its row is inserted once in its final state instead of
     * inserted and updated again (400,000 events, warm: 21,600 events/s at 1,000, 27,100 at 5,000, 38,100 at
     * 10,000, 41,400 at 20,000). At most three batches are in memory at once (two queued, one being read).
     */
    static final int BATCH = 10_000;

    /** What a rebuild did. */
    public record Result(long events, double seconds, long eventsPerSecond, List<String> processors) {
    }

    private final ApplicationContext context;
    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final TokenStore tokens;
    private final TransactionManager transactions;

    public ProjectionRebuild(ApplicationContext context, EventProcessingConfiguration processing,
                             EventStorageEngine events, TokenStore tokens, TransactionManager transactions) {
        this.context = context;
        this.processing = processing;
        this.events = events;
        this.tokens = tokens;
        this.transactions = transactions;
    }

    public synchronized Result rebuild() throws InterruptedException {
        Map<String, List<AnnotationEventHandlerAdapter>> groups = projectionsByProcessingGroup();
        long started = System.nanoTime();
        List<EventProcessor> stopped = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> stopping = new ArrayList<>();
        for (String group : groups.keySet()) {
            processing.eventProcessorByProcessingGroup(group).ifPresent(p -> {
                stopping.add(p.shutdownAsync()); // all at once: each waits for its thread to finish a batch
                stopped.add(p);
            });
        }
        stopping.forEach(java.util.concurrent.CompletableFuture::join);
        try {
            for (List<AnnotationEventHandlerAdapter> adapters : groups.values()) {
                transactions.executeInTransaction(() -> adapters.forEach(AnnotationEventHandlerAdapter::prepareReset));
            }
            Replayed replayed;
            try {
                replayed = replay(groups);
            } catch (RuntimeException | InterruptedException e) {
                // the tables are cleared: the processors must replay from the first event, the slow way
                groups.keySet().forEach(group -> moveToken(processorName(group), null));
                throw e;
            }
            if (replayed.lastToken != null) {
                for (String group : groups.keySet()) {
                    moveToken(processorName(group), replayed.lastToken);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Result result = new Result(replayed.count, seconds, Math.round(replayed.count / Math.max(seconds, 1e-3)),
                    List.copyOf(groups.keySet()));
            log.info("Rebuilt projections {} from {} events in {} s", groups.keySet(), replayed.count,
                    String.format("%.1f", seconds));
            return result;
        } finally {
            stopped.forEach(EventProcessor::start);
        }
    }

    private record Replayed(long count, TrackingToken lastToken) {
    }

    /** One reader, one worker per processing group; a worker's failure stops the rebuild. */
    private Replayed replay(Map<String, List<AnnotationEventHandlerAdapter>> groups) throws InterruptedException {
        List<BlockingQueue<List<TrackedEventMessage<?>>>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Map.Entry<String, List<AnnotationEventHandlerAdapter>> group : groups.entrySet()) {
            // a processor configured with several segments keeps order per aggregate only: split it the same way
            int parts = Math.max(1, tokens.fetchSegments(processorName(group.getKey())).length);
            for (int part = 0; part < parts; part++) {
                BlockingQueue<List<TrackedEventMessage<?>>> queue = new ArrayBlockingQueue<>(2);
                queues.add(queue);
                int mine = part;
                Thread worker = new Thread(() -> apply(group.getValue(), parts, mine, queue, failure),
                        "rebuild-" + group.getKey() + "-" + part);
                workers.add(worker);
                worker.start();
            }
        }
        long count = 0;
        TrackingToken last = null;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> it = stream.iterator();
            List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
            while (it.hasNext() && failure.get() == null) {
                TrackedEventMessage<?> event = it.next();
                batch.add(event);
                last = event.trackingToken();
                count++;
                if (batch.size() == BATCH) {
                    hand(queues, batch, failure);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                hand(queues, batch, failure);
            }
        } finally {
            for (BlockingQueue<List<TrackedEventMessage<?>>> queue : queues) {
                queue.put(List.of());
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("rebuild failed; the processors replay from the first event",
                    failure.get());
        }
        return new Replayed(count, last);
    }

    private static void hand(List<BlockingQueue<List<TrackedEventMessage<?>>>> queues, List<TrackedEventMessage<?>> batch,
                             AtomicReference<Throwable> failure) throws InterruptedException {
        for (BlockingQueue<List<TrackedEventMessage<?>>> queue : queues) {
            while (failure.get() == null && !queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // a worker is behind: wait for it
            }
        }
    }

    /** Applies batches in order, each in one unit of work and transaction, until the empty end marker. */
    private void apply(List<AnnotationEventHandlerAdapter> adapters, int parts, int part,
                       BlockingQueue<List<TrackedEventMessage<?>>> queue, AtomicReference<Throwable> failure) {
        Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType = new java.util.HashMap<>();
        try {
            while (true) {
                List<TrackedEventMessage<?>> batch = queue.take();
                if (batch.isEmpty()) {
                    return;
                }
                if (failure.get() != null) {
                    continue;
                }
                List<TrackedEventMessage<?>> mine = new ArrayList<>();
                for (TrackedEventMessage<?> event : batch) {
                    if (parts > 1 && Math.floorMod(aggregateOf(event).hashCode(), parts) != part) {
                        continue;
                    }
                    if (!handlersOf(event.getPayloadType(), adapters, byType).isEmpty()) {
                        mine.add(event);
                    }
                }
                if (mine.isEmpty()) {
                    continue;
                }
                UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(mine.get(0));
                unitOfWork.attachTransaction(transactions);
                unitOfWork.execute(() -> {
                    for (TrackedEventMessage<?> event : mine) {
                        for (AnnotationEventHandlerAdapter adapter : handlersOf(event.getPayloadType(), adapters, byType)) {
                            try {
                                adapter.handle(event);
                            } catch (Exception e) {
                                throw new IllegalStateException("cannot apply event " + event.getIdentifier(), e);
                            }
                        }
                    }
                });
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            // keep draining so the reader never blocks on a full queue
            try {
                while (!queue.take().isEmpty()) {
                    // discard
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The projections that handle a payload type, looked up once per type: by far cheaper than per event. */
    private static List<AnnotationEventHandlerAdapter> handlersOf(Class<?> type, List<AnnotationEventHandlerAdapter> adapters,
                                                                  Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType) {
        return byType.computeIfAbsent(type, t -> adapters.stream().filter(a -> a.canHandleType(t)).toList());
    }

    private static String aggregateOf(TrackedEventMessage<?> event) {
        return event instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain
                ? String.valueOf(domain.getAggregateIdentifier()) : event.getIdentifier();
    }

    /** Every segment of the processor continues after {@code token} (null: from the first event). */
    private void moveToken(String processor, TrackingToken token) {
        transactions.executeInTransaction(() -> {
            int[] segments = tokens.fetchSegments(processor);
            if (segments.length == 0) {
                tokens.initializeTokenSegments(processor, 1, token);
                return;
            }
            for (int segment : segments) {
                tokens.fetchToken(processor, segment); // claims it for this node
                tokens.storeToken(token, processor, segment);
                tokens.releaseClaim(processor, segment);
            }
        });
    }

    private String processorName(String group) {
        return processing.eventProcessorByProcessingGroup(group).map(EventProcessor::getName).orElse(group);
    }

    /** The projection beans (annotated {@link ProcessingGroup}), grouped by processing group, in name order. */
    private Map<String, List<AnnotationEventHandlerAdapter>> projectionsByProcessingGroup() {
        Map<String, List<AnnotationEventHandlerAdapter>> groups = new TreeMap<>();
        for (Object bean : new LinkedHashMap<>(context.getBeansWithAnnotation(ProcessingGroup.class)).values()) {
            Class<?> type = org.springframework.aop.support.AopUtils.getTargetClass(bean);
            if (type.isAnnotationPresent(org.axonframework.spring.stereotype.Saga.class)) {
                continue; // a saga sends commands: replaying history through it would act on it again
            }
            String group = type.getAnnotation(ProcessingGroup.class).value();
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(new AnnotationEventHandlerAdapter(bean,
                    ClasspathParameterResolverFactory.forClass(type)));
        }
        return groups;
    }
}
