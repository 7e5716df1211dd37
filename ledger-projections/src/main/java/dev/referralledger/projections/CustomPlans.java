package dev.referralledger.projections;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes PostgreSQL plan each statement of the current transaction for its own parameters.
 *
 * <p>The batched projection statements look rows up by {@code = ANY(array)} and {@code unnest} joins. The JDBC
 * driver prepares a statement on the server after five uses, and PostgreSQL may then keep one generic plan: one
 * chosen while a table was empty (after a rebuild's TRUNCATE) is a sequential scan, which every later batch
 * repeats as the table grows — measured here as a rebuild slowing from tens of thousands of events per second to
 * under four thousand. Custom plans cost a little planning per batch and always use the index.</p>
 */
public final class CustomPlans {

    private CustomPlans() {
    }

    /** Call inside the projection's transaction, before its first statement. */
    public static void forThisTransaction(JdbcTemplate jdbc) {
        jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }
}
