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

    /**
     * Secondary indexes that only an erasure ({@code PersonErased}) looks rows up by. A rebuild makes them with the
     * empty copies only when the ledger has erased someone (a key row marked erased): maintaining them row by row
     * is most of what inserting a pipeline row costs, and a ledger without erasures never reads by them. An erasure
     * the rebuild meets without them (one recorded before person keys existed, or made during the rebuild) scans
     * the copy: slower, equally right.
     */
    String[] erasureIndexes() default {};
}
