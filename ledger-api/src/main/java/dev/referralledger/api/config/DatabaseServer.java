package dev.referralledger.api.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The PostgreSQL the ledger writes to: an external server when {@code ledger.db.url} is set, otherwise an
 * embedded one whose files live in {@code ledger.embedded.data-dir}.
 *
 * <p>The embedded server runs with {@code fsync} and {@code synchronous_commit} on (the library turns both off
 * for tests): an acknowledged command must survive a power cut. A server left running by a process that was
 * killed is stopped first, so that a crash never blocks the next start.</p>
 *
 * <p>The embedded server can be started on a thread of its own ({@link #startEmbedded}) while the Spring context
 * is built: {@code initdb} and the postmaster's start then overlap the seconds of class loading instead of
 * following them. Whatever asks for the connection settings waits until the server accepts connections.</p>
 */
public final class DatabaseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseServer.class);

    /** Null for an external server; completes when the embedded one accepts connections. */
    private final CompletableFuture<EmbeddedPostgres> embedded;
    private final String externalUrl;
    private final String user;
    private final String password;
    private boolean closed;

    private DatabaseServer(CompletableFuture<EmbeddedPostgres> embedded, String externalUrl, String user, String password) {
        this.embedded = embedded;
        this.externalUrl = externalUrl;
        this.user = user;
        this.password = password;
    }

    public static DatabaseServer external(String url, String user, String password) {
        return new DatabaseServer(null, url, user, password);
    }

    /**
     * Starts the embedded server on a thread of its own and returns at once. The thread is not a daemon: a JVM
     * that ends while {@code initdb} runs must not leave a half-written data directory behind.
     */
    public static DatabaseServer startEmbedded(Path dataDir, int port) {
        CompletableFuture<EmbeddedPostgres> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(start(dataDir, port));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "embedded-postgres-start");
        starter.start();
        return new DatabaseServer(started, null, "postgres", "postgres");
    }

    private static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        stopOrphan(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toFile())
                .setCleanDataDirectory(false)
                // stopped by the Spring context after everything that uses it, not by a JVM hook racing it
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        log.info("Embedded PostgreSQL on port {} with data in {}", pg.getPort(), dir);
        return pg;
    }

    /** The embedded server once it accepts connections; its start's failure is rethrown here. */
    private EmbeddedPostgres awaitEmbedded() throws IOException {
        try {
            return embedded.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the embedded PostgreSQL was starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("the embedded PostgreSQL did not start", e.getCause());
        }
    }

    /** A postmaster whose JVM was killed keeps running and holds the data directory; ask it to stop. */
    private static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(orphan -> {
            log.warn("Stopping PostgreSQL process {} left running on {}", pid, dir);
            orphan.destroy(); // SIGTERM: a smart shutdown, which is quick once its clients are gone
            try {
                orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.destroyForcibly();
            }
        });
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** For the embedded server, waits until it accepts connections. */
    public String jdbcUrl() {
        if (embedded == null) {
            return externalUrl;
        }
        try {
            return awaitEmbedded().getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Stops the embedded server; one still starting is awaited first, so that none is left running. */
    @Override
    public synchronized void close() throws IOException {
        if (embedded == null || closed) {
            return;
        }
        closed = true;
        EmbeddedPostgres pg;
        try {
            pg = awaitEmbedded();
        } catch (IOException failedToStart) {
            return; // reported to whoever waited for the connection settings
        }
        pg.close();
    }
}
