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

    private AppProcess(Process process, int port, double readySeconds) {
        this.process = process;
        this.port = port;
        this.readySeconds = readySeconds;
    }

    /** Starts the jar on the given database (null: its own embedded default in {@code dataDir}). */
    static AppProcess start(Path jar, BenchDatabase db, Path dataDir, Path log, List<String> jvmOptions) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
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
                    return new AppProcess(process, port, (System.nanoTime() - t0) / 1e9);
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
