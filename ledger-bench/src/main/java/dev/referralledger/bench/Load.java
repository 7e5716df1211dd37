package dev.referralledger.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** Closed-loop load: {@code clients} threads each repeat an operation back to back for a fixed time. */
final class Load {

    /** One operation; answers true when it succeeded. */
    interface Operation {
        boolean run() throws Exception;
    }

    /** Figures of one run. Latencies are in milliseconds. */
    record Result(int clients, long ok, long failed, double seconds, double p50, double p99) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private Load() {
    }

    static Result run(int clients, double seconds, Operation operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong failed = new AtomicLong();
        long[] endAt = new long[1];
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Callable<long[]> worker = () -> {
                long[] latencies = new long[1024];
                int n = 0;
                start.await();
                while (System.nanoTime() < endAt[0]) {
                    long t = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.run();
                    } catch (Exception e) {
                        ok = false;
                    }
                    long took = System.nanoTime() - t;
                    if (ok) {
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = took;
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return Arrays.copyOf(latencies, n);
            };
            futures.add(pool.submit(worker));
        }
        long began = System.nanoTime();
        endAt[0] = began + (long) (seconds * 1e9);
        start.countDown();
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(clients, merged.length, failed.get(), elapsed, percentile(merged, 50), percentile(merged, 99));
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(index, 0)] / 1e6;
    }
}
