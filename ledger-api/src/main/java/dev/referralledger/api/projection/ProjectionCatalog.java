package dev.referralledger.api.projection;

import dev.referralledger.projections.ProjectionTables;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The projections of this application, one per processing group: the beans that handle its events and the
 * tables they own ({@link ProjectionTables}). Sagas are listed apart: they send commands, so replaying history
 * through them would act on it a second time.
 */
@Component
public class ProjectionCatalog {

    /**
     * A processing group of projections: its event processor, its handlers, its tables and the secondary indexes
     * of those that the handlers look rows up by ({@link ProjectionTables#lookupIndexes}), and those only an
     * erasure looks rows up by ({@link ProjectionTables#erasureIndexes}).
     */
    public record Projection(String name, List<AnnotationEventHandlerAdapter> handlers, List<String> tables,
                             List<String> lookupIndexes, List<String> erasureIndexes) {
    }

    /** How often, and for how long, a stop wakes the waiting workers: Axon's wait for an event is 1 s. */
    private static final Duration WAKE_EVERY = Duration.ofMillis(20);
    private static final Duration WAKE_FOR = Duration.ofSeconds(1);

    private final ApplicationContext context;
    private final EventProcessingConfiguration processing;
    private final ProcessorWakeUp wakeUp;
    private volatile Map<String, Projection> projections;
    private volatile List<String> sagas;

    public ProjectionCatalog(ApplicationContext context, EventProcessingConfiguration processing, ProcessorWakeUp wakeUp) {
        this.context = context;
        this.processing = processing;
        this.wakeUp = wakeUp;
    }

    /** Every projection, by name (the processing group), in name order. */
    public Map<String, Projection> projections() {
        if (projections == null) {
            discover();
        }
        return projections;
    }

    /** The processing groups of sagas: shown by the status, never rebuilt. */
    public List<String> sagas() {
        if (sagas == null) {
            discover();
        }
        return sagas;
    }

    public Optional<EventProcessor> processor(String name) {
        return processing.eventProcessorByProcessingGroup(name);
    }

    /**
     * Stops the named projections' processors, all at once (each finishes its batch); answers those stopped. While
     * they stop, the workers waiting for events are woken ({@link ProcessorWakeUp}), more than once, as a worker may
     * begin to wait just after a wake-up; for a second at most, after which every wait has ended by itself. A stop
     * that fails starts the processors again before it throws.
     */
    public List<EventProcessor> stop(Collection<String> names) {
        List<EventProcessor> stopped = new ArrayList<>();
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (String name : names) {
            processor(name).ifPresent(p -> {
                stopping.add(p.shutdownAsync());
                stopped.add(p);
            });
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new));
        long wakeUntil = System.nanoTime() + WAKE_FOR.toNanos();
        boolean interrupted = false;
        while (!all.isDone() && System.nanoTime() < wakeUntil) {
            wakeUp.wake();
            try {
                all.get(WAKE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // not yet stopped, or failed: the join below reports a failure
            } catch (InterruptedException e) {
                interrupted = true; // the join below waits anyway: keep waking until then
            }
        }
        try {
            all.join();
        } catch (RuntimeException e) {
            stopped.forEach(EventProcessor::start);
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return stopped;
    }

    public String processorName(String name) {
        return processor(name).map(EventProcessor::getName).orElse(name);
    }

    private synchronized void discover() {
        if (projections != null) {
            return;
        }
        Map<String, List<AnnotationEventHandlerAdapter>> handlers = new TreeMap<>();
        Map<String, List<String>> tables = new TreeMap<>();
        Map<String, List<String>> lookupIndexes = new TreeMap<>();
        Map<String, List<String>> erasureIndexes = new TreeMap<>();
        TreeSet<String> sagaGroups = new TreeSet<>();
        for (Object bean : context.getBeansWithAnnotation(ProcessingGroup.class).values()) {
            Class<?> type = AopUtils.getTargetClass(bean);
            String group = type.getAnnotation(ProcessingGroup.class).value();
            if (type.isAnnotationPresent(org.axonframework.spring.stereotype.Saga.class)) {
                sagaGroups.add(group);
                continue;
            }
            ProjectionTables owned = type.getAnnotation(ProjectionTables.class);
            if (owned == null) {
                throw new IllegalStateException(type.getName() + " must name the tables it owns (@ProjectionTables)");
            }
            handlers.computeIfAbsent(group, g -> new ArrayList<>()).add(
                    new AnnotationEventHandlerAdapter(bean, ClasspathParameterResolverFactory.forClass(type)));
            tables.computeIfAbsent(group, g -> new ArrayList<>()).addAll(List.of(owned.value()));
            lookupIndexes.computeIfAbsent(group, g -> new ArrayList<>()).addAll(List.of(owned.lookupIndexes()));
            erasureIndexes.computeIfAbsent(group, g -> new ArrayList<>()).addAll(List.of(owned.erasureIndexes()));
        }
        Map<String, Projection> found = new TreeMap<>();
        handlers.forEach((group, adapters) ->
                found.put(group, new Projection(group, List.copyOf(adapters), List.copyOf(tables.get(group)),
                        List.copyOf(lookupIndexes.get(group)), List.copyOf(erasureIndexes.get(group)))));
        sagas = List.copyOf(sagaGroups);
        projections = Collections.unmodifiableMap(found);
    }
}
