package dev.referralledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.net.URI;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark: starts the application from its jar on a real PostgreSQL (fsync on), drives it over HTTP
 * from this separate process, and prints a table of figures, also written as JSON.
 *
 * <pre>java -jar ledger-bench/target/ledger-bench.jar [quick|full|start] [path/to/referral-ledger.jar]</pre>
 *
 * <p>{@code start} measures only the start-up times ({@link StartTimes}), {@code BENCH_START_ROUNDS} rounds (5).</p>
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int[] CLIENTS = {1, 16, 64};
    private static final String PROCESSOR = "referral-pipeline";
    /** The JVM settings of the Dockerfile: a small heap is enough, and bounded metaspace and code cache keep RSS low. */
    static final String LEAN_JVM = "-Xmx256m -XX:NewRatio=1 -XX:+UseSerialGC -XX:MetaspaceSize=96m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k";

    private final boolean full;
    private final double seconds;
    private final long storedEvents;
    private final Path jar;
    private final Path work;
    /** The machine's CPU times when the run began ({@link #cpuTimes}). */
    private long[] cpuAtBegin;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private String key;
    private int port;

    private Bench(boolean full, Path jar, Path work) {
        this.full = full;
        this.seconds = full ? 20 : 3;
        this.storedEvents = full ? 1_000_000 : 100_000;
        this.jar = jar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "128"); // keep-alive connections per host, one per client
        boolean full = args.length > 0 && args[0].equals("full");
        Path jar = Path.of(args.length > 1 ? args[1] : "ledger-api/target/referral-ledger.jar").toAbsolutePath();
        Path work = Path.of("bench", "work").toAbsolutePath();
        if (args.length > 0 && args[0].equals("freshness")) {
            new Bench(true, jar, work).runFreshness();
        } else if (args.length > 0 && args[0].equals("scaling")) {
            new Bench(true, jar, work).runScaling();
        } else if (args.length > 0 && args[0].equals("audit")) {
            new Bench(true, jar, work).runAudit();
        } else if (args.length > 0 && args[0].equals("start")) {
            new Bench(false, jar, work).runStartTimes(Integer.parseInt(System.getenv().getOrDefault("BENCH_START_ROUNDS", "5")));
        } else {
            new Bench(full, jar, work).run();
        }
        System.exit(0); // worker pools of the load phases may still be winding down
    }

    private void run() throws Exception {
        List<String> jvm = begin(full ? "full" : "quick");
        try (BenchDatabase db = BenchDatabase.open(work)) {
            figures.put("database", db.describe());
            AppProcess app = AppProcess.start(jar, db, null, work.resolve("app-1.log"), jvm);
            port = app.port;
            key = newTenantKey();
            double warmUp = full ? 60 : 20;
            warmUp(warmUp);
            figures.put("warmUpSeconds", warmUp);

            Map<String, Object> ceiling = new LinkedHashMap<>();
            Map<String, Object> writes = new LinkedHashMap<>();
            for (int clients : CLIENTS) {
                Load.Result commit = commitCeiling(db, clients);
                Load.Result write = Load.run(clients, seconds, () -> createReferral(false) != null);
                ceiling.put(Integer.toString(clients), describe(commit));
                Map<String, Object> w = describe(write);
                w.put("ratioToPostgresCommits", round(write.perSecond() / commit.perSecond()));
                writes.put(Integer.toString(clients), w);
                log("writes @%d clients: %.0f req/s (p50 %.1f ms, p99 %.1f ms); PostgreSQL commits: %.0f/s",
                        clients, write.perSecond(), write.p50(), write.p99(), commit.perSecond());
            }
            figures.put("postgresSingleRowCommits", ceiling);
            figures.put("createReferral", writes);
            figures.put("httpFloor16Clients", httpFloor((Map<?, ?>) ceiling.get("16")));
            double maxRate = writes.values().stream().mapToDouble(w -> (double) ((Map<?, ?>) w).get("perSecond")).max().orElse(1);

            String code = enrolledAdvocateCode();
            Load.Result impressions = Load.run(16, seconds, () -> send("POST", "/api/v1/impressions", key,
                    "{\"referralCode\":\"" + code + "\",\"source\":\"QR\",\"placement\":\"Poster "
                            + sequence.incrementAndGet() % 40 + "\",\"clientAddress\":\"198.51.100."
                            + sequence.get() % 250 + "\"}", 201) != null);
            figures.put("recordImpression16Clients", describe(impressions));
            log("impressions @16 clients: %.0f req/s (p50 %.1f ms, p99 %.1f ms)", impressions.perSecond(),
                    impressions.p50(), impressions.p99());

            conversions();

            Load.Result lifecycle = Load.run(16, seconds, this::lifecycle);
            Map<String, Object> mix = describe(lifecycle);
            mix.put("requestsPerSecond", round(lifecycle.perSecond() * 4));
            figures.put("lifecycleMix16Clients", mix);
            log("lifecycle @16 clients: %.0f flows/s = %.0f req/s (flow p50 %.1f ms)", lifecycle.perSecond(),
                    lifecycle.perSecond() * 4, lifecycle.p50());

            figures.put("freshnessAtHalfMaxRate", freshness(db, maxRate / 2));
            figures.put("projectionLagAtFullLoad", lagAtFullLoad(db));
            figures.put("appPeakRssMbUnderWrites", round(app.peakRssMb()));
            figures.put("appReadySecondsExternalDb", round(app.readySeconds));
            app.close();

            seed(db, storedEvents);
            figures.put("replay", replay(db, jvm));

            try (Connection c = db.pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT"); // the replay's writes are flushed before, not during, the measurement
            }
            try (BenchDatabase empty = db.another("ledger_bench_empty")) {
                scaling(empty, db, jvm, warmUp);
            }
            figures.put("startTimes", new StartTimes(jar, work, jvm).measure(db, 1));
        }
        report();
    }

    /**
     * {@code bench/run.sh scaling}: only the scaling figure: write p50 at 16 clients on an empty store and on
     * one of 1,000,000 events (BENCH_EVENTS), each after a warm-up; BENCH_DB_SHARED_BUFFERS varies the server.
     */
    private void runScaling() throws Exception {
        List<String> jvm = begin("scaling");
        long events = Long.parseLong(System.getenv().getOrDefault("BENCH_EVENTS", "1000000"));
        try (BenchDatabase db = BenchDatabase.open(work); BenchDatabase empty = db.another("ledger_bench_empty")) {
            figures.put("database", db.describe());
            AppProcess app = AppProcess.start(jar, db, null, work.resolve("app-scaling-seed.log"), jvm);
            port = app.port;
            key = newTenantKey();
            seed(db, events);
            while (token(db) < head(db)) {
                Thread.sleep(200); // the projections catch up before the measurement
            }
            app.close();
            try (Connection c = db.pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
            scaling(empty, db, jvm, 60);
        }
        Path file = writeFigures();
        System.out.println();
        System.out.println("Referral Ledger scaling on " + figures.get("machine") + "; " + figures.get("database"));
        System.out.printf("%-52s %12s%n", "write p50 ms @16, near-empty store", figures.get("emptyStoreP50Ms16Clients"));
        System.out.printf("%-52s %12s%n", "write p50 ms @16, " + figures.get("storedEventsForScaling") + " events stored", figures.get("loadedStoreP50Ms16Clients"));
        System.out.printf("%-52s %12s%n", "ratio", figures.get("scalingP50Ratio"));
        System.out.println("figures written to " + file);
    }

    /**
     * {@code bench/run.sh freshness}: only the freshness figure, at BENCH_RATE writes/s (433, half the last full
     * run's maximum), after a warm-up, then the projection lag at full load; for trying settings quickly.
     */
    private void runFreshness() throws Exception {
        List<String> jvm = begin("freshness");
        double rate = Double.parseDouble(System.getenv().getOrDefault("BENCH_RATE", "433"));
        try (BenchDatabase db = BenchDatabase.open(work)) {
            figures.put("database", db.describe());
            AppProcess app = AppProcess.start(jar, db, null, work.resolve("app-freshness.log"), jvm);
            port = app.port;
            key = newTenantKey();
            warmUp(60);
            figures.put("freshnessAtHalfMaxRate", freshness(db, rate));
            figures.put("projectionLagAtFullLoad", lagAtFullLoad(db));
            app.close();
        }
        Path file = writeFigures();
        Map<?, ?> fresh = (Map<?, ?>) figures.get("freshnessAtHalfMaxRate");
        Map<?, ?> lag = (Map<?, ?>) figures.get("projectionLagAtFullLoad");
        System.out.println();
        System.out.printf("freshness @%s/s: p50 %s ms, p99 %s ms%n", fresh.get("targetRatePerSecond"), fresh.get("p50Ms"), fresh.get("p99Ms"));
        System.out.printf("lag at full load (%s writes/s): max %s ms (first half %s, second half %s), mean %s / %s ms, trend %s ms per s%n",
                lag.get("writesPerSecond"), lag.get("maxLagMs"), lag.get("maxLagFirstHalfMs"), lag.get("maxLagSecondHalfMs"),
                lag.get("meanLagFirstHalfMs"), lag.get("meanLagSecondHalfMs"), lag.get("lagTrendMsPerSecond"));
        System.out.println("figures written to " + file);
    }

    /** Records what the run is and where it runs; answers the application's JVM options. */
    private List<String> begin(String mode) throws java.io.IOException {
        cpuAtBegin = cpuTimes();
        probes("");
        Files.createDirectories(work);
        figures.put("mode", mode);
        figures.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        figures.put("startedAt", Instant.now().toString());
        List<String> jvm = List.of(System.getenv().getOrDefault("BENCH_APP_JVM", LEAN_JVM).split(" "));
        figures.put("appJvmOptions", String.join(" ", jvm));
        return jvm;
    }

    /** {@code bench/run.sh start}: only the start-up times, several rounds, medians. */
    private void runStartTimes(int rounds) throws Exception {
        List<String> jvm = begin("start");
        try (BenchDatabase db = BenchDatabase.open(work)) {
            figures.put("database", db.describe());
            figures.put("startTimes", new StartTimes(jar, work, jvm).measure(db, rounds));
        }
        Path file = writeFigures();
        System.out.println();
        System.out.println("Referral Ledger start-up (" + rounds + " rounds, medians) on " + figures.get("machine"));
        System.out.println("database: " + figures.get("database") + "; app JVM: " + figures.get("appJvmOptions"));
        StartTimes.print((Map<?, ?>) figures.get("startTimes"));
        System.out.println("figures written to " + file);
    }

    /**
     * On two cores the JIT compiler competes with the application for a minute or more after a start; a
     * server runs for days, so the figures are taken on a warm application.
     */
    private void warmUp(double seconds) throws Exception {
        Load.run(16, seconds / 2, () -> createReferral(false) != null);
        Load.run(16, seconds / 2, this::lifecycle);
    }

    /**
     * Write p50 at 16 clients on a near-empty store and on {@code loaded} (its events already projected), with
     * both applications running side by side and measured in alternating rounds (BENCH_SCALING_ROUNDS, 5): what
     * else the machine does then weighs on both alike, which two measurements minutes apart did not ensure
     * (+58% in one full run, -20% in another). Reports the median of each side and their ratio.
     */
    private void scaling(BenchDatabase empty, BenchDatabase loaded, List<String> jvm, double warmUpSeconds) throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SCALING_ROUNDS", "5"));
        AppProcess onEmpty = AppProcess.start(jar, empty, null, work.resolve("app-scaling-empty.log"), jvm);
        AppProcess onLoaded = AppProcess.start(jar, loaded, null, work.resolve("app-scaling-loaded.log"), jvm);
        try {
            port = onEmpty.port;
            String emptyKey = newTenantKey();
            port = onLoaded.port;
            String loadedKey = newTenantKey();
            List<Double> emptyP50 = new ArrayList<>();
            List<Double> loadedP50 = new ArrayList<>();
            for (int warm = 0; warm < 2; warm++) {
                port = onEmpty.port;
                key = emptyKey;
                warmUp(warmUpSeconds / 2);
                port = onLoaded.port;
                key = loadedKey;
                warmUp(warmUpSeconds / 2);
            }
            for (int round = 0; round < rounds; round++) {
                for (int side = 0; side < 2; side++) {
                    boolean emptyNow = (round + side) % 2 == 0; // alternate which store goes first
                    port = emptyNow ? onEmpty.port : onLoaded.port;
                    key = emptyNow ? emptyKey : loadedKey;
                    Load.Result r = Load.run(16, seconds, () -> createReferral(false) != null);
                    (emptyNow ? emptyP50 : loadedP50).add(round(r.p50()));
                }
                log("scaling round %d: p50 near-empty %.1f ms, loaded %.1f ms", round + 1,
                        emptyP50.get(round), loadedP50.get(round));
            }
            double e = median(emptyP50);
            double l = median(loadedP50);
            figures.put("emptyStoreP50Ms16Clients", round(e));
            figures.put("storedEventsForScaling", head(loaded));
            figures.put("storedEventsNearEmptyStore", head(empty));
            figures.put("loadedStoreP50Ms16Clients", round(l));
            figures.put("scalingP50Ratio", round(l / e));
            figures.put("scalingRounds", Map.of("nearEmptyP50Ms", emptyP50, "loadedP50Ms", loadedP50));
            log("write p50 @16 clients, median of %d alternating rounds: %.1f ms (%d events) vs %.1f ms (%d events), ratio %.2f",
                    rounds, e, head(empty), l, head(loaded), l / e);
        } finally {
            onEmpty.close();
            onLoaded.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // ---- the PostgreSQL ceiling: one ~500-byte row per transaction, through JDBC --------------------------

    private Load.Result commitCeiling(BenchDatabase db, int clients) throws Exception {
        try (Connection c = db.pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_commit (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)");
        }
        String payload = "x".repeat(500);
        return Load.run(clients, seconds, () -> {
            try (Connection c = db.pool.getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO bench_commit (payload) VALUES (?)")) {
                insert.setString(1, payload);
                return insert.executeUpdate() == 1;
            }
        });
    }

    // ---- HTTP -------------------------------------------------------------------------------------------

    private String newTenantKey() throws Exception {
        String tenant = "bench-" + System.currentTimeMillis();
        send("POST", "/admin/tenants", AppProcess.ADMIN_TOKEN, "{\"id\":\"" + tenant + "\",\"name\":\"Benchmark\"}", 201);
        figures.put("tenant", tenant);
        return JSON.readTree(send("POST", "/admin/tenants/" + tenant + "/api-keys", AppProcess.ADMIN_TOKEN, "{}", 201))
                .path("secret").asText();
    }

    /** A program with one enrolled advocate: the code the impression load scans. */
    private String enrolledAdvocateCode() throws Exception {
        String program = JSON.readTree(send("POST", "/api/v1/programs", key,
                "{\"name\":\"Benchmark posters\",\"slug\":\"posters-" + System.nanoTime() + "\"}", 201)).path("id").asText();
        return JSON.readTree(send("POST", "/api/v1/programs/" + program + "/advocates", key,
                "{\"name\":\"Ambassador\",\"email\":\"ambassador@example.com\"}", 201)).path("referralCode").asText();
    }

    private String createReferral(boolean async) throws Exception {
        long n = sequence.incrementAndGet();
        String body = """
                {"referrer":{"name":"Advocate %d","email":"advocate%d@example.com"},
                 "referred":{"firstName":"Lead","lastName":"%d","email":"lead%d@example.com","phone":"+14155550%03d"},
                 "agentId":"agent-%d","channel":"API","expectedValue":1200,"currency":"USD",
                 "notes":"Benchmark referral number %d, about the size of a real one."}"""
                .formatted(n % 500, n % 500, n, n, n % 1000, n % 20, n);
        String answer = async
                ? send("POST", "/api/v1/referrals", key, body, 202, "Prefer", "respond-async")
                : send("POST", "/api/v1/referrals", key, body, 201);
        if (answer == null) {
            return null;
        }
        int at = answer.indexOf("\"id\":\"");
        return answer.substring(at + 6, answer.indexOf('"', at + 6));
    }

    private boolean lifecycle() throws Exception {
        String id = createReferral(false);
        return id != null
                && send("POST", "/api/v1/referrals/" + id + "/contact", key, null, 200) != null
                && send("POST", "/api/v1/referrals/" + id + "/qualify", key, null, 200) != null
                && send("POST", "/api/v1/referrals/" + id + "/convert", key,
                "{\"resultingDealId\":\"deal-" + id + "\",\"dealValue\":950,\"currency\":\"USD\"}", 200) != null;
    }

    /**
     * Conversions and their reversals at 16 clients, each on referrals prepared beforehand so that only the
     * measured request is timed: referrals are created for {@code seconds}, converted for half as long (a
     * conversion would have to be twice as fast as a creation to run out), and half as many again are refunded
     * in part. A failed request counts as failed, as does running out of prepared referrals.
     */
    private void conversions() throws Exception {
        java.util.Queue<String> received = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<String> converted = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Load.run(16, seconds, () -> {
            String id = createReferral(false);
            return id != null && received.add(id);
        });
        Load.Result convert = Load.run(16, seconds / 2, () -> {
            String id = received.poll();
            return id != null && send("POST", "/api/v1/referrals/" + id + "/convert", key,
                    "{\"resultingDealId\":\"deal-" + id + "\",\"dealValue\":1200,\"currency\":\"USD\"}", 200) != null
                    && converted.add(id);
        });
        figures.put("convertReferral16Clients", describe(convert));
        log("conversions @16 clients: %.0f req/s (p50 %.1f ms, p99 %.1f ms)", convert.perSecond(), convert.p50(),
                convert.p99());
        Load.Result reverse = Load.run(16, seconds / 4, () -> {
            String id = converted.poll();
            return id != null && send("POST", "/api/v1/referrals/" + id + "/reverse", key,
                    "{\"kind\":\"REFUND\",\"amount\":200,\"currency\":\"USD\",\"reason\":\"benchmark\"}", 200) != null;
        });
        figures.put("reverseConversion16Clients", describe(reverse));
        log("reversals @16 clients: %.0f req/s (p50 %.1f ms, p99 %.1f ms)", reverse.perSecond(), reverse.p50(),
                reverse.p99());
    }

    /**
     * The cheapest request the application answers, through the same client at 16 clients: the liveness probe
     * (no database, no authentication, a constant body). No write can be faster than this round trip through
     * Tomcat, the filters and Spring MVC, so its ratio to PostgreSQL's commit rate bounds the write ratio.
     */
    private Map<String, Object> httpFloor(Map<?, ?> commits16) throws Exception {
        Load.Result floor = Load.run(16, seconds, () -> send("GET", "/actuator/health/liveness", key, null, 200) != null);
        Map<String, Object> out = describe(floor);
        out.put("ratioToPostgresCommits", round(floor.perSecond() / (double) commits16.get("perSecond")));
        log("HTTP floor (GET /actuator/health/liveness) @16 clients: %.0f req/s (p50 %.1f ms, p99 %.1f ms)",
                floor.perSecond(), floor.p50(), floor.p99());
        return out;
    }

    /**
     * The answer's body when the status is the expected one, else null. The JDK's classic blocking client
     * with keep-alive: on two cores the benchmark must take as little CPU from the application as it can.
     */
    private String send(String method, String path, String token, String body, int expected, String... headers) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://localhost:" + port + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            connection.setRequestProperty(headers[i], headers[i + 1]);
        }
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return status == expected ? answer : null;
        }
    }

    // ---- freshness and lag ------------------------------------------------------------------------------

    /** Open-loop writes at a fixed rate, answered 202 (no read-your-writes wait); when does each row appear? */
    private Map<String, Object> freshness(BenchDatabase db, double rate) throws Exception {
        // the backlog of the phases before (the reward saga and attribution follow the conversions) is not this
        // rate's load: every processor catches up first, as in a steady state at this rate
        long behind = head(db) - lowestToken(db);
        long waited = System.nanoTime();
        while (lowestToken(db) < head(db) && System.nanoTime() - waited < 60e9) {
            Thread.sleep(100);
        }
        double waitedSeconds = (System.nanoTime() - waited) / 1e9;
        if (lowestToken(db) < head(db)) {
            log("freshness: the processors had not caught up after %.0f s; measuring anyway", waitedSeconds);
        }
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        long since = head(db);
        ExecutorService senders = Executors.newFixedThreadPool(32);
        Thread poller = new Thread(() -> {
            try (Connection c = db.pool.getConnection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT referral_id FROM referral_pipeline WHERE received_position > ? AND referral_id = ANY (?)")) {
                while (!Thread.currentThread().isInterrupted()) {
                    List<String> waiting = acknowledged.keySet().stream().filter(id -> !seen.containsKey(id)).toList();
                    if (!waiting.isEmpty()) {
                        q.setLong(1, since);
                        q.setArray(2, c.createArrayOf("varchar", waiting.toArray()));
                        try (ResultSet rs = q.executeQuery()) {
                            long now = System.nanoTime();
                            while (rs.next()) {
                                seen.putIfAbsent(rs.getString(1), now);
                            }
                        }
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException done) {
                // finished
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        poller.start();
        long intervalNanos = (long) (1e9 / rate);
        long begin = System.nanoTime();
        long end = begin + (long) (seconds * 1e9);
        AtomicLong failed = new AtomicLong();
        for (long next = begin; next < end; next += intervalNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            senders.submit(() -> {
                try {
                    String id = createReferral(true);
                    if (id == null) {
                        failed.incrementAndGet();
                    } else {
                        acknowledged.put(id, System.nanoTime());
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (seen.size() < acknowledged.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        poller.interrupt();
        poller.join();
        long[] delays = acknowledged.entrySet().stream()
                .mapToLong(e -> Math.max(0, seen.getOrDefault(e.getKey(), Long.MAX_VALUE / 2) - e.getValue()))
                .sorted().toArray();
        // each write's acknowledgement (ms since the first send) and delay: tells a stall from a queue
        StringBuilder trace = new StringBuilder("acknowledged_ms,delay_ms\n");
        acknowledged.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> trace.append(
                String.format("%.1f,%.1f%n", (e.getValue() - begin) / 1e6,
                        Math.max(0, seen.getOrDefault(e.getKey(), Long.MAX_VALUE / 2) - e.getValue()) / 1e6)));
        Files.writeString(work.resolve("freshness-trace.csv"), trace);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("targetRatePerSecond", round(rate));
        out.put("eventsBehindBefore", behind);
        out.put("secondsWaitedForEveryProcessor", round(waitedSeconds));
        out.put("writes", acknowledged.size());
        out.put("failed", failed.get());
        out.put("neverSeen", acknowledged.size() - seen.size());
        out.put("p50Ms", round(Load.percentile(delays, 50)));
        out.put("p99Ms", round(Load.percentile(delays, 99)));
        log("freshness at %.0f writes/s: p50 %.1f ms, p99 %.1f ms (processors %d events behind before, caught up in %.1f s)",
                rate, Load.percentile(delays, 50), Load.percentile(delays, 99), behind, waitedSeconds);
        return out;
    }

    /**
     * Writes as fast as 64 clients can (202, no waiting) and samples how far the projection trails the head
     * of the event store, in time: how long ago the head was where the projection is now.
     */
    private Map<String, Object> lagAtFullLoad(BenchDatabase db) throws Exception {
        List<long[]> heads = new ArrayList<>();
        List<long[]> lags = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long now = System.nanoTime();
                    long head = head(db);
                    long token = token(db);
                    heads.add(new long[]{now, head});
                    long behindSince = now;
                    for (long[] h : heads) {
                        if (h[1] >= token + 1) {
                            behindSince = h[0];
                            break;
                        }
                    }
                    lags.add(new long[]{now, token >= head ? 0 : now - behindSince, head - token});
                    Thread.sleep(50);
                }
            } catch (InterruptedException done) {
                // finished
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sampler.start();
        Load.Result load = Load.run(64, seconds * 2, () -> createReferral(true) != null);
        sampler.interrupt();
        sampler.join();
        int half = lags.size() / 2;
        double firstHalfMax = lags.subList(0, half).stream().mapToLong(l -> l[1]).max().orElse(0) / 1e6;
        double secondHalfMax = lags.subList(half, lags.size()).stream().mapToLong(l -> l[1]).max().orElse(0) / 1e6;
        long maxEvents = lags.stream().mapToLong(l -> l[2]).max().orElse(0);
        double firstHalfMean = lags.subList(0, half).stream().mapToLong(l -> l[1]).average().orElse(0) / 1e6;
        double secondHalfMean = lags.subList(half, lags.size()).stream().mapToLong(l -> l[1]).average().orElse(0) / 1e6;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("writesPerSecond", round(load.perSecond()));
        out.put("maxLagMs", round(Math.max(firstHalfMax, secondHalfMax)));
        out.put("maxLagFirstHalfMs", round(firstHalfMax));
        out.put("maxLagSecondHalfMs", round(secondHalfMax));
        out.put("meanLagFirstHalfMs", round(firstHalfMean));
        out.put("meanLagSecondHalfMs", round(secondHalfMean));
        out.put("lagTrendMsPerSecond", round(trend(lags)));
        out.put("maxLagEvents", maxEvents);
        log("lag at full load (%.0f writes/s, async): max %.0f ms (first half %.0f, second half %.0f), mean %.0f / %.0f ms, "
                        + "trend %+.1f ms per s, max %d events", load.perSecond(), Math.max(firstHalfMax, secondHalfMax),
                firstHalfMax, secondHalfMax, firstHalfMean, secondHalfMean, trend(lags), maxEvents);
        return out;
    }

    /**
     * The least-squares slope of the lag over the samples' time, in ms of lag per second: a projection that keeps
     * up scatters around a level (a slope near 0); one that falls behind climbs (by the share of the write rate it
     * misses, times a thousand).
     */
    private static double trend(List<long[]> lags) {
        if (lags.size() < 2) {
            return 0;
        }
        double n = lags.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        long t0 = lags.get(0)[0];
        for (long[] l : lags) {
            double x = (l[0] - t0) / 1e9, y = l[1] / 1e6;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }

    private static long head(BenchDatabase db) throws Exception {
        try (Connection c = db.pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(max(global_index), 0) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The pipeline processor's position: the lowest index over its segments. */
    private static long token(BenchDatabase db) throws Exception {
        try (Connection c = db.pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token FROM token_entry WHERE processor_name = '" + PROCESSOR + "'")) {
            long lowest = Long.MAX_VALUE;
            boolean any = false;
            while (rs.next()) {
                byte[] token = rs.getBytes(1);
                any = true;
                lowest = Math.min(lowest, token == null ? -1 : index(JSON.readTree(token)));
            }
            return any ? lowest : -1;
        }
    }

    /** The lowest position of every processor and segment, sagas included. */
    private static long lowestToken(BenchDatabase db) throws Exception {
        try (Connection c = db.pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token FROM token_entry")) {
            long lowest = Long.MAX_VALUE;
            while (rs.next()) {
                byte[] token = rs.getBytes(1);
                lowest = Math.min(lowest, token == null ? -1 : index(JSON.readTree(token)));
            }
            return lowest == Long.MAX_VALUE ? -1 : lowest;
        }
    }

    private static long index(JsonNode token) {
        if (token.has("index")) {
            return token.path("index").asLong();
        }
        if (token.has("currentToken")) {
            return index(token.path("currentToken"));
        }
        return -1;
    }

    // ---- stored events and replay -----------------------------------------------------------------------

    /** Fills the event store to {@code total} events: referrals of four events each, stored by SQL. */
    private void seed(BenchDatabase db, long total) throws Exception {
        long have = head(db);
        long referrals = Math.max(0, (total - have) / 4);
        String tenant = (String) figures.get("tenant");
        long t0 = System.nanoTime();
        long chunk = 25_000;
        try (Connection c = db.pool.getConnection()) {
            c.setAutoCommit(true);
            for (long from = 1; from <= referrals; from += chunk) {
                long to = Math.min(referrals, from + chunk - 1);
                try (PreparedStatement insert = c.prepareStatement(SEED_SQL)) {
                    insert.setString(1, tenant);
                    insert.setString(2, tenant);
                    insert.setString(3, tenant);
                    insert.setString(4, tenant);
                    insert.setLong(5, from);
                    insert.setLong(6, to);
                    insert.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE domain_event_entry");
            }
        }
        log("stored %d more events by SQL in %.1f s (now %d)", referrals * 4, (System.nanoTime() - t0) / 1e9, head(db));
    }

    private static final String SEED_SQL = """
            INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                            payload_type, payload, meta_data)
            SELECT gen_random_uuid()::text, 'seed-' || r, s, 'Referral',
                   to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'dev.referralledger.core.referral.'
                       || (ARRAY ['ReferralReceived','ReferralContacted','ReferralQualified','ReferralConverted'])[s + 1],
                   convert_to(CASE s
                       WHEN 0 THEN json_build_object('referralId', 'seed-' || r, 'tenantId', ?,
                           'referrer', json_build_object('name', 'Advocate ' || (r % 5000), 'email', 'advocate' || (r % 5000) || '@example.com'),
                           'referred', json_build_object('firstName', 'Lead', 'lastName', r::text, 'email', 'lead' || r || '@example.com'),
                           'contacts', '[]'::json, 'agentId', 'agent-' || (r % 50), 'channel', 'API',
                           'expectedValue', json_build_object('amount', 1000, 'currency', 'USD'), 'metadata', '{}'::json)::text
                       WHEN 3 THEN json_build_object('referralId', 'seed-' || r, 'tenantId', ?, 'resultingDealId', 'deal-' || r,
                           'dealValue', json_build_object('amount', 500, 'currency', 'USD'))::text
                       ELSE json_build_object('referralId', 'seed-' || r, 'tenantId', ?)::text END, 'UTF8'),
                   convert_to(json_build_object('tenantId', ?)::text, 'UTF8')
            FROM generate_series(?::bigint, ?::bigint) r CROSS JOIN generate_series(0, 3) s
            ORDER BY r / 500, s, r""";

    /** Rebuilds the pipeline projection from the first event: token and tables cleared, application started. */
    private Map<String, Object> replay(BenchDatabase db, List<String> jvm) throws Exception {
        try (Connection c = db.pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM token_entry WHERE processor_name = '" + PROCESSOR + "'");
            s.execute("TRUNCATE referral_pipeline, advocate_stats");
        }
        long events = head(db);
        long launched = System.nanoTime();
        AppProcess app = AppProcess.start(jar, db, null, work.resolve("app-2.log"), jvm);
        long firstPosition = -1;
        long firstAt = 0;
        while (true) {
            long token = token(db);
            if (token >= 0 && firstPosition < 0) {
                firstPosition = token;
                firstAt = System.nanoTime();
            }
            if (token >= events) {
                break;
            }
            Thread.sleep(20);
        }
        long done = System.nanoTime();
        double measured = (done - firstAt) / 1e9;
        double rate = (events - firstPosition) / Math.max(measured, 1e-3);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("secondsFromLaunch", round((done - launched) / 1e9));
        out.put("eventsPerSecond", round(rate));
        out.put("appReadySecondsWithStore", round(app.readySeconds));
        log("replay of %d events: %.0f events/s (%.1f s from launch)", events, rate, (done - launched) / 1e9);
        port = app.port;
        out.putAll(operatorRebuildAndVerify(db));
        app.close();
        return out;
    }

    /**
     * The operator's tools on the stored events: every projection rebuilt side by side and switched
     * (POST /admin/projections/rebuild), the pipeline alone, and the verification (POST /admin/verify).
     */
    private Map<String, Object> operatorRebuildAndVerify(BenchDatabase db) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        long waited = System.nanoTime();
        while (lowestToken(db) < head(db) && System.nanoTime() - waited < 600e9) {
            Thread.sleep(200); // every processor (the reward saga too) idle: the tools alone are timed
        }
        out.put("secondsWaitedForEveryProcessor", round((System.nanoTime() - waited) / 1e9));
        JsonNode rebuilt = JSON.readTree(send("POST", "/admin/projections/rebuild", AppProcess.ADMIN_TOKEN, null, 200));
        out.put("rebuildEvents", rebuilt.path("events").asLong());
        out.put("rebuildSeconds", round(rebuilt.path("seconds").asDouble()));
        out.put("rebuildEventsPerSecond", rebuilt.path("eventsPerSecond").asLong());
        out.put("rebuildProcessorsPausedSeconds", round(rebuilt.path("pauseSeconds").asDouble()));
        out.put("rebuildSwitchSeconds", round(rebuilt.path("switchSeconds").asDouble()));
        out.put("rebuildReplaySeconds", round(rebuilt.path("replaySeconds").asDouble()));
        out.put("rebuildReadySeconds", round(rebuilt.path("readySeconds").asDouble()));
        log("rebuild of every projection: %d events in %.1f s = %d events/s (processors paused %.1f s, switch %.1f s)",
                rebuilt.path("events").asLong(), rebuilt.path("seconds").asDouble(), rebuilt.path("eventsPerSecond").asLong(),
                rebuilt.path("pauseSeconds").asDouble(), rebuilt.path("switchSeconds").asDouble());
        // the first rebuild after a start runs while the JIT compiler still compiles its code paths (on two cores
        // it takes CPU from the rebuild); a server that runs for days rebuilds with them compiled
        JsonNode again = JSON.readTree(send("POST", "/admin/projections/rebuild", AppProcess.ADMIN_TOKEN, null, 200));
        out.put("rebuildAgainSeconds", round(again.path("seconds").asDouble()));
        out.put("rebuildAgainEventsPerSecond", again.path("eventsPerSecond").asLong());
        out.put("rebuildAgainReadySeconds", round(again.path("readySeconds").asDouble()));
        log("rebuild of every projection again: %.1f s = %d events/s", again.path("seconds").asDouble(),
                again.path("eventsPerSecond").asLong());
        JsonNode pipeline = JSON.readTree(send("POST", "/admin/projections/" + PROCESSOR + "/rebuild?wait=true",
                AppProcess.ADMIN_TOKEN, null, 200));
        out.put("rebuildPipelineSeconds", round(pipeline.path("seconds").asDouble()));
        out.put("rebuildPipelineEventsPerSecond", pipeline.path("eventsPerSecond").asLong());
        log("rebuild of %s alone: %.1f s = %d events/s", PROCESSOR, pipeline.path("seconds").asDouble(),
                pipeline.path("eventsPerSecond").asLong());
        long started = System.nanoTime();
        JsonNode verified = JSON.readTree(send("POST", "/admin/verify", AppProcess.ADMIN_TOKEN, null, 200));
        double seconds = (System.nanoTime() - started) / 1e9;
        out.put("verifySeconds", round(seconds));
        out.put("verifyOk", verified.path("ok").asBoolean());
        out.put("verifyProjectionsSeconds", round(verified.path("projections").path("seconds").asDouble()));
        if (verified.has("events")) {
            out.put("verifyEventChainSeconds", round(verified.path("events").path("millis").asDouble() / 1000));
        }
        log("verify: %.1f s, ok=%s", seconds, verified.path("ok").asBoolean());
        return out;
    }

    /**
     * {@code bench/run.sh audit}: only the operator's tools on 1,000,000 stored events (BENCH_EVENTS): the
     * rebuild of every projection, of the pipeline alone, and the verification.
     */
    private void runAudit() throws Exception {
        List<String> jvm = begin("audit");
        long events = Long.parseLong(System.getenv().getOrDefault("BENCH_EVENTS", "1000000"));
        try (BenchDatabase db = BenchDatabase.open(work)) {
            figures.put("database", db.describe());
            AppProcess app = AppProcess.start(jar, db, null, work.resolve("app-audit-1.log"), jvm);
            port = app.port;
            key = newTenantKey();
            app.close();
            seed(db, events);
            AppProcess loaded = AppProcess.start(jar, db, null, work.resolve("app-audit-2.log"), jvm);
            port = loaded.port;
            long head = head(db);
            while (token(db) < head) {
                Thread.sleep(200); // the processors catch up first: the tools are timed on a live ledger
            }
            figures.put("events", head);
            figures.put("audit", operatorRebuildAndVerify(db));
            loaded.close();
        }
        Path file = writeFigures();
        System.out.println();
        System.out.println("Referral Ledger operator tools (" + figures.get("events") + " events) on " + figures.get("machine")
                + "; CPU time stolen by the host during the run: " + figures.get("cpuStolenPercent") + "%"
                + "; CPU probe (SHA-256 of 256 MB): " + figures.get("cpuProbeMs") + " ms");
        printProbes();
        System.out.println("database: " + figures.get("database") + "; app JVM: " + figures.get("appJvmOptions"));
        ((Map<?, ?>) figures.get("audit")).forEach((name, value) -> System.out.printf("%-52s %12s%n", name, value));
        System.out.println("figures written to " + file);
    }

    // ---- the embedded default ---------------------------------------------------------------------------

    // ---- output -----------------------------------------------------------------------------------------

    private Path writeFigures() throws Exception {
        long[] now = cpuTimes();
        if (cpuAtBegin != null && now != null) {
            long total = 0;
            for (int i = 0; i < now.length; i++) {
                total += now[i] - cpuAtBegin[i];
            }
            figures.put("cpuStolenPercent", total == 0 ? 0 : round(100.0 * (now[7] - cpuAtBegin[7]) / total));
        }
        if (!figures.containsKey("cpuProbeMsAtEnd")) {
            probes("AtEnd");
        }
        Path dir = Path.of("bench", "results");
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = dir.resolve("bench-" + figures.get("mode") + "-" + stamp + ".json");
        JSON.writeValue(file.toFile(), figures);
        return file;
    }

    /**
     * The probes, at the start of a run and again at its end ({@code suffix} "AtEnd"): the host can change within
     * a run. One core alone, every core at once and memory: on a shared host the single core's time stayed the
     * same (167–169 ms) between two runs of the same rebuild 15 minutes apart while the rebuild ran at 68,500 and
     * 47,535 events/s, so one core's figure alone cannot tell a slow run from slow code.
     */
    private void probes(String suffix) {
        figures.put("cpuProbeMs" + suffix, cpuProbeMillis());
        figures.put("cpuProbeAllCoresMs" + suffix, cpuProbeAllCoresMillis());
        figures.put("memoryProbeMs" + suffix, memoryProbeMillis());
    }

    private void printProbes() {
        System.out.println("probes at the start / end: one core " + figures.get("cpuProbeMs") + " / "
                + figures.get("cpuProbeMsAtEnd") + " ms, every core at once " + figures.get("cpuProbeAllCoresMs") + " / "
                + figures.get("cpuProbeAllCoresMsAtEnd") + " ms, memory (2 GB copied) " + figures.get("memoryProbeMs")
                + " / " + figures.get("memoryProbeMsAtEnd") + " ms");
    }

    /** The slowest core's time for the single-core probe's work, run on every core at once; best of three. */
    private static double cpuProbeAllCoresMillis() {
        int cores = Runtime.getRuntime().availableProcessors();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int core = 0; core < cores; core++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        sha256Of256Mb();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return round(best / 1e6);
    }

    /** Memory bandwidth: 2 GB copied between two 64 MB arrays (larger than any cache), best of three. */
    private static double memoryProbeMillis() {
        byte[] from = new byte[64 << 20];
        byte[] to = new byte[64 << 20];
        java.util.Arrays.fill(from, (byte) 1);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 32; i++) {
                System.arraycopy(from, 0, to, 0, from.length);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return round(best / 1e6);
    }

    private static void sha256Of256Mb() {
        try {
            byte[] block = new byte[1 << 20];
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 256; i++) {
                sha.update(block);
            }
            sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fixed piece of work on one core, timed: SHA-256 of 256 MB, best of three. The same code on the same machine
     * takes the same time unless the host gives the machine less, so it says how fast the machine was in this run
     * (run-to-run comparisons of the other figures mean little when it differs).
     */
    private static double cpuProbeMillis() {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            sha256Of256Mb();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return round(best / 1e6);
    }

    /**
     * The machine's CPU times since boot from /proc/stat (user, nice, system, idle, iowait, irq, softirq, steal),
     * or null where there is none. On a virtual machine, steal is the time the host gave to someone else: a run
     * with much of it is slower throughout, whatever the code does.
     */
    private static long[] cpuTimes() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] times = new long[8];
            for (int i = 0; i < times.length; i++) {
                times[i] = Long.parseLong(fields[i + 1]);
            }
            return times;
        } catch (Exception notLinux) {
            return null;
        }
    }

    private void report() throws Exception {
        Path file = writeFigures();
        System.out.println();
        System.out.println("Referral Ledger benchmark (" + figures.get("mode") + ") on " + figures.get("machine")
                + "; CPU time stolen by the host during the run: " + figures.get("cpuStolenPercent") + "%"
                + "; CPU probe (SHA-256 of 256 MB): " + figures.get("cpuProbeMs") + " ms");
        printProbes();
        System.out.println("database: " + figures.get("database") + "; app JVM: " + figures.get("appJvmOptions"));
        System.out.printf("%-52s %12s %10s %10s%n", "figure", "value", "p50 ms", "p99 ms");
        for (int clients : CLIENTS) {
            row("POST /referrals req/s @" + clients + " clients", (Map<?, ?>) ((Map<?, ?>) figures.get("createReferral")).get(Integer.toString(clients)));
            row("PostgreSQL 1-row commits/s @" + clients + " clients", (Map<?, ?>) ((Map<?, ?>) figures.get("postgresSingleRowCommits")).get(Integer.toString(clients)));
            System.out.printf("%-52s %12s%n", "  ratio writes/commits @" + clients,
                    ((Map<?, ?>) ((Map<?, ?>) figures.get("createReferral")).get(Integer.toString(clients))).get("ratioToPostgresCommits"));
        }
        Map<?, ?> floor = (Map<?, ?>) figures.get("httpFloor16Clients");
        row("HTTP floor: GET liveness req/s @16 clients", floor);
        System.out.printf("%-52s %12s%n", "  ratio floor/commits @16", floor.get("ratioToPostgresCommits"));
        row("POST /impressions req/s @16 clients", (Map<?, ?>) figures.get("recordImpression16Clients"));
        row("POST /referrals/{id}/convert req/s @16 clients", (Map<?, ?>) figures.get("convertReferral16Clients"));
        row("POST /referrals/{id}/reverse req/s @16 clients", (Map<?, ?>) figures.get("reverseConversion16Clients"));
        Map<?, ?> mix = (Map<?, ?>) figures.get("lifecycleMix16Clients");
        System.out.printf("%-52s %12s %10s %10s%n", "lifecycle flows/s @16 (4 requests each)", mix.get("perSecond"), mix.get("p50Ms"), mix.get("p99Ms"));
        Map<?, ?> fresh = (Map<?, ?>) figures.get("freshnessAtHalfMaxRate");
        System.out.printf("%-52s %12s %10s %10s%n", "freshness 202 -> in pipeline @" + fresh.get("targetRatePerSecond") + "/s", "", fresh.get("p50Ms"), fresh.get("p99Ms"));
        Map<?, ?> lag = (Map<?, ?>) figures.get("projectionLagAtFullLoad");
        System.out.printf("%-52s %12s%n", "projection lag at full load, max ms (1st/2nd half)",
                lag.get("maxLagFirstHalfMs") + "/" + lag.get("maxLagSecondHalfMs"));
        System.out.printf("%-52s %12s%n", "projection lag at full load, mean ms (1st/2nd half)",
                lag.get("meanLagFirstHalfMs") + "/" + lag.get("meanLagSecondHalfMs"));
        System.out.printf("%-52s %12s%n", "projection lag trend, ms per s (0: keeping up)", lag.get("lagTrendMsPerSecond"));
        Map<?, ?> replay = (Map<?, ?>) figures.get("replay");
        System.out.printf("%-52s %12s%n", "replay events/s (" + replay.get("events") + " events)", replay.get("eventsPerSecond"));
        System.out.printf("%-52s %12s%n", "replay total seconds from launch", replay.get("secondsFromLaunch"));
        System.out.printf("%-52s %12s%n", "rebuild all projections events/s (admin endpoint)", replay.get("rebuildEventsPerSecond"));
        System.out.printf("%-52s %12s%n", "rebuild all projections seconds", replay.get("rebuildSeconds"));
        System.out.printf("%-52s %12s%n", "rebuild all projections again events/s (warm)", replay.get("rebuildAgainEventsPerSecond"));
        System.out.printf("%-52s %12s%n", "rebuild: processors paused s (switch s)", replay.get("rebuildProcessorsPausedSeconds") + " (" + replay.get("rebuildSwitchSeconds") + ")");
        System.out.printf("%-52s %12s%n", "rebuild referral-pipeline alone events/s", replay.get("rebuildPipelineEventsPerSecond"));
        System.out.printf("%-52s %12s%n", "verify seconds (POST /admin/verify)", replay.get("verifySeconds"));
        System.out.printf("%-52s %12s%n", "write p50 ms @16, near-empty store", figures.get("emptyStoreP50Ms16Clients"));
        System.out.printf("%-52s %12s%n", "write p50 ms @16, " + figures.get("storedEventsForScaling") + " events stored", figures.get("loadedStoreP50Ms16Clients"));
        System.out.printf("%-52s %12s%n", "app peak RSS MB under writes", figures.get("appPeakRssMbUnderWrites"));
        System.out.printf("%-52s %12s%n", "ready s, first start on the benchmark database", figures.get("appReadySecondsExternalDb"));
        StartTimes.print((Map<?, ?>) figures.get("startTimes"));
        System.out.println("figures written to " + file);
    }

    private static void row(String name, Map<?, ?> r) {
        System.out.printf("%-52s %12s %10s %10s%n", name, r.get("perSecond"), r.get("p50Ms"), r.get("p99Ms"));
    }

    private static Map<String, Object> describe(Load.Result r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clients", r.clients());
        out.put("perSecond", round(r.perSecond()));
        out.put("p50Ms", round(r.p50()));
        out.put("p99Ms", round(r.p99()));
        out.put("ok", r.ok());
        out.put("failed", r.failed());
        return out;
    }

    static double round(double value) {
        return Math.abs(value) < 1 ? Math.round(value * 1000) / 1000.0 : Math.round(value * 10) / 10.0;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
