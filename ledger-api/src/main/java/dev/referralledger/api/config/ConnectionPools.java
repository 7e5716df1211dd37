package dev.referralledger.api.config;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
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

    /** Threads of {@code factory} whose connections come from the processors' pool. */
    static ThreadFactory processorThreads(ThreadFactory factory) {
        return task -> factory.newThread(() -> {
            PROCESSOR_THREAD.set(true);
            task.run();
        });
    }

    /**
     * {@code transactions} for an event processor: each transaction takes its connection from the processors' pool.
     * A processor's own thread (Axon's, in a thread group {@code EventProcessor[name]}) stays marked after its first
     * transaction, as it also reads events outside one (a processor behind the event store's cache); any other thread
     * that runs a processor's transaction (a test, an operator's tool) only while the transaction runs.
     */
    static TransactionManager processorTransactions(TransactionManager transactions) {
        return () -> {
            if (PROCESSOR_THREAD.get()) {
                return transactions.startTransaction();
            }
            PROCESSOR_THREAD.set(true);
            ThreadGroup group = Thread.currentThread().getThreadGroup();
            if (group != null && group.getName().startsWith("EventProcessor[")) {
                return transactions.startTransaction();
            }
            Transaction transaction;
            try {
                transaction = transactions.startTransaction();
            } catch (RuntimeException e) {
                PROCESSOR_THREAD.set(false);
                throw e;
            }
            return new Transaction() {
                @Override
                public void commit() {
                    try {
                        transaction.commit();
                    } finally {
                        PROCESSOR_THREAD.set(false);
                    }
                }

                @Override
                public void rollback() {
                    try {
                        transaction.rollback();
                    } finally {
                        PROCESSOR_THREAD.set(false);
                    }
                }
            };
        };
    }

    /** The pool the calling thread takes its connections from. */
    HikariDataSource current() {
        return PROCESSOR_THREAD.get() ? processors : requests;
    }

    /** The pool of requests and of every thread that is not an event processor's. */
    public HikariDataSource requests() {
        return requests;
    }

    /** The pool of the event processors and the event store's reader. */
    public HikariDataSource processors() {
        return processors;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current().getConnection(username, password);
    }

    /** {@code unwrap(HikariDataSource.class)} answers the requests' pool. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return (T) this;
        }
        return requests.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || requests.isWrapperFor(type);
    }

    @Override
    public void close() {
        try (requests; processors) {
            // both closed, whatever either throws
        }
    }
}
