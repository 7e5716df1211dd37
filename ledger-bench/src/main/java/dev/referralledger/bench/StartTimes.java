package dev.referralledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time from process start to a healthy {@code /actuator/health}, in the two ways the application is run: the
 * jar as built ({@code java -jar}), and the unpacked jar with a class-data-sharing archive, as the Dockerfile
 * runs it. Each round measures an embedded first start on an empty data directory, a restart on it, and a start
 * on the benchmark's database; the layouts alternate within a round so that load from elsewhere on the machine
 * falls on both alike. Medians are reported, with the CPU time the JVM had used when it was ready.
 *
 * <p>On a shared machine each start first waits, up to two minutes, until the machine has been at least 90% idle
 * for two seconds, and the CPU time the rest of the machine used during the start (its PostgreSQL included) is
 * recorded with it.</p>
 */
final class StartTimes {

    private static final String[] CASES = {"embeddedFirstStart", "embeddedRestart", "benchmarkDatabase"};

    private final Path jar;
    private final Path work;
    private final List<String> jvm;

    StartTimes(Path jar, Path work, List<String> jvm) {
        this.jar = jar;
        this.work = work;
        this.jvm = jvm;
    }

    Map<String, Object> measure(BenchDatabase db, int rounds) throws Exception {
        Map<String, List<String>> layouts = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>(jvm);
        plain.add("-jar");
        plain.add(jar.toString());
        layouts.put("jar", plain);
        layouts.put("cds", cdsLayout());

        // untimed: migrates the benchmark database and brings both layouts' files into the page cache
        for (Map.Entry<String, List<String>> layout : layouts.entrySet()) {
            AppProcess.start(layout.getValue(), db, null, work.resolve("start-" + layout.getKey() + "-untimed.log")).close();
        }
        Map<String, Map<String, List<double[]>>> samples = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, List<String>> layout : layouts.entrySet()) {
                Path dir = work.resolve("start-data-" + layout.getKey());
                delete(dir);
                Map<String, List<double[]>> byCase = samples.computeIfAbsent(layout.getKey(), k -> new LinkedHashMap<>());
                for (String name : CASES) {
                    Path log = work.resolve("start-" + layout.getKey() + "-" + name + "-" + round + ".log");
                    double idle = awaitIdleMachine();
                    long[] before = machineTicks();
                    try (AppProcess app = AppProcess.start(layout.getValue(), name.equals("benchmarkDatabase") ? db : null, dir, log)) {
                        long[] after = machineTicks();
                        double others = Math.max(0, (after[0] - before[0]) / 100.0 - app.readyCpuSeconds);
                        byCase.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[]{app.readySeconds, app.readyCpuSeconds, others, idle});
                        Bench.log("start %s %s, round %d: ready in %.2f s (%.1f s CPU; rest of the machine %.1f s CPU; %.0f%% idle before)",
                                layout.getKey(), name, round, app.readySeconds, app.readyCpuSeconds, others, idle * 100);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rounds", rounds);
        out.put("loadAverageAtEnd", loadAverage());
        samples.forEach((layout, byCase) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            byCase.forEach((name, runs) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("medianSeconds", median(runs, 0));
                f.put("medianCpuSeconds", median(runs, 1));
                f.put("seconds", runs.stream().map(r -> Bench.round(r[0])).toList());
                f.put("cpuSeconds", runs.stream().map(r -> Bench.round(r[1])).toList());
                f.put("restOfMachineCpuSeconds", runs.stream().map(r -> Bench.round(r[2])).toList());
                f.put("idleBefore", runs.stream().map(r -> Bench.round(r[3])).toList());
                figures.put(name, f);
            });
            out.put(layout, figures);
        });
        return out;
    }

    /**
     * The Dockerfile's layout: the jar unpacked ({@code -Djarmode=tools extract}) and an archive written by a
     * training run ({@code ledger.exit-when-ready}) on a scratch embedded database. Not timed.
     */
    private List<String> cdsLayout() throws Exception {
        Path app = work.resolve("cds-app");
        delete(app);
        run(List.of(AppProcess.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()),
                work.resolve("cds-extract.log"));
        Path unpacked = app.resolve(jar.getFileName());
        Path archive = app.resolve("referral-ledger.jsa");
        Path scratch = work.resolve("cds-training-data");
        delete(scratch);
        List<String> training = new ArrayList<>();
        training.add(AppProcess.java());
        training.addAll(jvm);
        training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Dledger.exit-when-ready=true",
                "-jar", unpacked.toString(), "--server.port=0", "--ledger.db.url=", "--ledger.demo-tenant=false",
                "--ledger.embedded.data-dir=" + scratch));
        run(training, work.resolve("cds-training.log"));
        delete(scratch);
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no archive was written; see " + work.resolve("cds-training.log"));
        }
        List<String> launch = new ArrayList<>(jvm);
        launch.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", unpacked.toString()));
        return launch;
    }

    static void print(Map<?, ?> startTimes) {
        for (String layout : List.of("jar", "cds")) {
            Map<?, ?> figures = (Map<?, ?>) startTimes.get(layout);
            if (figures == null) {
                continue;
            }
            StringBuilder seconds = new StringBuilder();
            StringBuilder cpu = new StringBuilder();
            for (String name : CASES) {
                Map<?, ?> f = (Map<?, ?>) figures.get(name);
                seconds.append(seconds.length() == 0 ? "" : " / ").append(f.get("medianSeconds"));
                cpu.append(cpu.length() == 0 ? "" : " / ").append(f.get("medianCpuSeconds"));
            }
            String label = layout.equals("jar") ? "java -jar" : "unpacked + CDS";
            System.out.printf("%-52s %s s (CPU %s s)%n", "ready, " + label + ": first / restart / bench db", seconds, cpu);
        }
    }

    private static double median(List<double[]> runs, int index) {
        double[] values = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        int n = values.length;
        return Bench.round(n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
    }

    /** Waits until the machine was at least 90% idle over 2 s, at most 2 minutes; returns the last idle share. */
    private static double awaitIdleMachine() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        double idle;
        do {
            long[] a = machineTicks();
            Thread.sleep(2000);
            long[] b = machineTicks();
            idle = b[1] == a[1] ? 1 : 1 - (double) (b[0] - a[0]) / (b[1] - a[1]);
        } while (idle < 0.9 && System.nanoTime() < deadline);
        return idle;
    }

    /** Busy and total clock ticks (1/100 s) of all cores since boot, from /proc/stat; zeros where not available. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void run(List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit code " + process.exitValue() + " of " + String.join(" ", command) + "; see " + log);
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
