package dev.referralledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes of the batched projections: each collects the rows of a processor batch and writes them before the
 * batch commits. A rebuild lane's transaction spans 10,000 events, and rows held that long outlived the young
 * collections of a 256 MB heap, were copied and promoted, and filled the old generation (four rebuilds of 100,000
 * API-written events: 6 full collections, 3 with this); so a lane asks for the rows every 1,000 events
 * ({@link #writeNow}), and the transaction still commits once.
 *
 * <p>Writing early is safe where no other transaction writes the same rows meanwhile: always for rows that
 * belong to the segment of the batch's events ({@code bySegment}: one referral's row, one impression), and for
 * any row when the lane is the only one of its projection. The rest waits for the commit, where each
 * projection writes in key order.</p>
 */
public final class BatchWrites {

    private static final String REGISTERED = BatchWrites.class.getName();

    private record Write(Runnable rows, boolean bySegment) {
    }

    private BatchWrites() {
    }

    /** Lets {@link #writeNow} write the batches of {@code unitOfWork} early: a rebuild lane's, before any event. */
    public static void allowEarly(UnitOfWork<?> unitOfWork) {
        unitOfWork.root().resources().put(REGISTERED, new ArrayList<Write>());
    }

    /**
     * Runs {@code write} before {@code unitOfWork} commits, and before then whenever {@link #writeNow} asks for it.
     * {@code write} writes what was collected since it last ran, and collects anew. May be called while the unit of
     * work computes a resource: it only adds to a list made up front.
     */
    public static void register(UnitOfWork<?> unitOfWork, Runnable write, boolean bySegment) {
        unitOfWork.onPrepareCommit(u -> write.run());
        registerEarly(unitOfWork, write, bySegment);
    }

    /** Registers {@code write} for {@link #writeNow} only: a batch whose write at the commit is a different one. */
    public static void registerEarly(UnitOfWork<?> unitOfWork, Runnable write, boolean bySegment) {
        List<Write> early = unitOfWork.root().getResource(REGISTERED);
        if (early != null) {
            early.add(new Write(write, bySegment));
        }
    }

    /**
     * Writes what the current unit of work holds, where it can be written early: the rows of the batch's own
     * segment, and all rows when {@code onlyLane}. Nothing unless {@link #allowEarly} was called.
     */
    public static void writeNow(boolean onlyLane) {
        if (!CurrentUnitOfWork.isStarted()) {
            return;
        }
        List<Write> writes = CurrentUnitOfWork.get().root().getResource(REGISTERED);
        if (writes != null) {
            writes.stream().filter(w -> onlyLane || w.bySegment()).forEach(w -> w.rows().run());
        }
    }
}
