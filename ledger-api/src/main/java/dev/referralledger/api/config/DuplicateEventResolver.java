package dev.referralledger.api.config;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * Tells Axon's JDBC engine that an append collided with an event already stored at the same sequence number of the
 * aggregate, so that it reports a {@code ConcurrencyException} (or, for an aggregate's first event, an
 * {@code AggregateStreamCreationException}) instead of a bare storage failure. Axon's
 * {@code JdbcSQLErrorCodesResolver} compares vendor error codes, which the PostgreSQL driver leaves at 0: it never
 * recognized the collision here. PostgreSQL names it by SQL state {@code 23505} and the constraint's name.
 */
final class DuplicateEventResolver implements PersistenceExceptionResolver {

    static final String SEQUENCE_CONSTRAINT = "domain_event_entry_aggregate_sequence_key";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isSequenceCollision(sql)) {
                return true;
            }
            // a batched insert reports the statement's own failure as the batch's next exception
            if (t instanceof BatchUpdateException batch && batch.getNextException() != null
                    && isSequenceCollision(batch.getNextException())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSequenceCollision(SQLException sql) {
        return "23505".equals(sql.getSQLState()) && sql.getMessage() != null
                && sql.getMessage().contains(SEQUENCE_CONSTRAINT);
    }
}
