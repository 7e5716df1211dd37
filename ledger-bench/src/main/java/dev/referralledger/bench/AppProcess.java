package dev.referralledger.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The application under test, in a process of its own, started from its jar as a user would. */
final class AppProcess implements AutoCloseable {

    static final String ADMIN_TOKEN = "bench-admin-token";

    private final Process process;
    final int port;
    final double readySeconds;
    /** CPU time the application's JVM had used when it was ready: steadier than wall time on a shared machine. */
    final double readyCpuSeconds;

    private AppProcess(Process process, int port, double readySeconds, double readyCpuSeconds) {
        this.process = process;
        this.port = port;
        this.readySeconds = readySeconds;
        this.readyCpuSeconds = readyCpuSeconds;
    }

    /** Starts the jar on the given database (null: its own embedded default in {@code dataDir}). */
    static AppProcess start(Path jar, BenchDatabase db, Path dataDir, Path log, List<String> jvmOptions) throws Exception {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.add("-jar");
        launch.add(jar.toString());
        return start(launch, db, dataDir, log);
    }

    /**
     * Starts {@code java <launch> <settings>}: {@code launch} holds the JVM options and what to run (e.g.
     * {@code -jar x.jar}), the settings of the database and port follow.
     */
    static AppProcess start(List<String> launch, BenchDatabase db, Path dataDir, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(launch);
        command.add("--server.port=" + port);
        command.add("--ledger.admin-token=" + ADMIN_TOKEN);
        if (db != null) {
            command.add("--ledger.db.url=" + db.url);
            command.add("--ledger.db.user=" + db.user);
            command.add("--ledger.db.password=" + db.password);
        } else {
            command.add("--ledger.db.url=");
            command.add("--ledger.embedded.data-dir=" + dataDir);
        }
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited; see " + log);
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    return new AppProcess(process, port, seconds, cpuSeconds(process.pid()));
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() - t0 > 180e9) {
                process.destroyForcibly();
                throw new IllegalStateException("the application was not ready after 180 s; see " + log);
            }
            Thread.sleep(50);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** User plus system CPU time of a process from /proc (clock ticks of 1/100 s); -1 where not available. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak resident memory (VmHWM) of the process so far, in MB; -1 where /proc is not available. */
    double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
