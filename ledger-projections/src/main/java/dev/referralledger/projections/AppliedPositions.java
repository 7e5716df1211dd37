package dev.referralledger.projections;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets a writer wait until a projection has applied its event (read-your-writes).
 *
 * <p>Projections report, after their transaction commits, the aggregate sequence they applied. Waiters
 * register before they look at the table, so no report is missed; they re-read the table at a fixed
 * interval too, which also covers a projection running in another process.</p>
 */
public final class AppliedPositions {

    private static final long RECHECK_MILLIS = 100;

    private record Waiter(long sequence, CompletableFuture<Void> done) {
    }

    private final Map<String, CopyOnWriteArrayList<Waiter>> waiters = new ConcurrentHashMap<>();

    /** Threads that fill tables side by side with the live ones (rebuild, verify): readers never see those. */
    private static final ThreadLocal<Boolean> SIDE_BY_SIDE = ThreadLocal.withInitial(() -> false);

    /** From now on this thread's reports are ignored: it writes tables no waiter reads. */
    public static void ignoreReportsOfThisThread() {
        SIDE_BY_SIDE.set(true);
    }

    /** Called by a projection after commit: {@code aggregateId} now reflects events up to {@code sequence}. */
    public void applied(String aggregateId, long sequence) {
        if (SIDE_BY_SIDE.get()) {
            return;
        }
        var list = waiters.get(aggregateId);
        if (list != null) {
            for (Waiter w : list) {
                if (w.sequence <= sequence) {
                    w.done.complete(null);
                }
            }
        }
    }

    /**
     * Waits until {@code appliedSequence} reports at least {@code sequence}, at most {@code timeout}.
     *
     * @return true when the projection caught up in time
     */
    public boolean await(String aggregateId, long sequence, LongSupplier appliedSequence, Duration timeout) {
        Waiter me = new Waiter(sequence, new CompletableFuture<>());
        waiters.computeIfAbsent(aggregateId, id -> new CopyOnWriteArrayList<>()).add(me);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (appliedSequence.getAsLong() >= sequence) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    me.done.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, RECHECK_MILLIS), TimeUnit.MILLISECONDS);
                    return true;
                } catch (java.util.concurrent.TimeoutException again) {
                    // re-read the table: the projection may run elsewhere
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("never completed exceptionally", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } finally {
            waiters.computeIfPresent(aggregateId, (id, list) -> {
                list.remove(me);
                return list.isEmpty() ? null : list;
            });
        }
    }
}
