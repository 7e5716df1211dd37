package dev.referralledger.projections;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The tables a projection owns: only it writes them, and all of them can be rebuilt from the events it reads.
 * Rebuilds and verification build these tables a second time, side by side, and compare or swap them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProjectionTables {

    /** Table names in schema public, in the order they are filled (referenced tables first). */
    String[] value();

    /**
     * The secondary (non-unique) indexes of these tables that the handlers' own statements look rows up by.
     * Rebuilds leave the other secondary indexes out while they replay and build them once at the end; these are
     * made with the empty copies, since without them each such statement scans a table the replay keeps growing.
     * Primary keys and unique indexes are always made first (upserts need them); they need no mention here.
     */
    String[] lookupIndexes() default {};
}
