package dev.referralledger.api.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.AbstractDataSource;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadFactory;

/**
 * The application's DataSource: two pools behind one name. The event processors and the event store's reader take
 * their connections from a pool of their own; everything else (requests, imports, the operator's tools) from the
 * other.
 *
 * <p>With one pool, 64 clients writing at once kept about 50 request threads queued for its 10 connections, and
 * every processor batch and every read of new events queued behind them: the projections fell a second and more
 * behind the ledger while the writes themselves were answered (thread dumps of the benchmark's lag phase showed the
 * pipeline's threads and the reader in {@code HikariPool.getConnection}). Now a burst of requests queues only behind
 * requests. A connection is picked when it is taken, by the thread taking it, so Spring's transactions, Axon's
 * connection provider and every {@code JdbcTemplate} need no change.</p>
 */
public final class ConnectionPools extends AbstractDataSource implements Closeable {

    private static final ThreadLocal<Boolean> PROCESSOR_THREAD = ThreadLocal.withInitial(() -> false);

    private final HikariDataSource requests;
    private final HikariDataSource processors;

    public ConnectionPools(HikariDataSource requests, HikariDataSource processors) {
        this.requests = requests;
        this.processors = processors;
    }

    /** From now on, the calling thread's connections come from the processors' pool. */
    static void markProcessorThread() {
        PROCESSOR_THREAD.set(true);
    }

    /** Threads of {@code factory} whose connections come from the processors' pool. */
    static ThreadFactory processorThreads(ThreadFactory factory) {
        return task -> factory.newThread(() -> {
            markProcessorThread();
            task.run();
        });
    }

    /** The pool the calling thread takes its connections from. */
    public HikariDataSource current() {
        return PROCESSOR_THREAD.get() ? processors : requests;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current().getConnection(username, password);
    }

    /** {@code unwrap(HikariDataSource.class)} answers the calling thread's pool. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return (T) this;
        }
        return current().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || current().isWrapperFor(type);
    }

    @Override
    public void close() {
        try (requests; processors) {
            // both closed, the requests' first
        }
    }
}
