package dev.referralledger.projections;

/**
 * Where the batched projections take an event's position from. A processor's tracking token is ahead of an event
 * that committed late (the event fills a gap behind the newest position already seen), so by default each row's
 * position is looked up in the event store by aggregate and sequence, in the statement that writes it. A rebuild
 * knows better: its reader sees whether each event moved the token forward, and when every event of a lane's
 * transaction did, their tokens are their own positions and that transaction writes them as they are. In a
 * 1,000,000-event rebuild the lookups were 750,000 index probes, about 1.8 s of PostgreSQL's time.
 */
public final class TokenPositions {

    private static final ThreadLocal<Boolean> EXACT = ThreadLocal.withInitial(() -> false);

    private TokenPositions() {
    }

    /** Says whether the tokens of the events this thread is about to write are their own positions. */
    public static void exactInThisThread(boolean exact) {
        EXACT.set(exact);
    }

    /** Whether this thread's tokens are exact: true only in a rebuild lane (see {@link Copy}). */
    public static boolean exactInThisThread() {
        return EXACT.get();
    }

    /**
     * The SQL of a row's position: {@code tokenPosition} when this thread's tokens are exact, else the position of
     * the event {@code aggregate}/{@code sequence} as stored, or {@code tokenPosition} when it is not stored.
     */
    public static String of(String aggregate, String sequence, String tokenPosition) {
        if (EXACT.get()) {
            return tokenPosition;
        }
        return "COALESCE((SELECT d.global_index FROM domain_event_entry d WHERE d.aggregate_identifier = " + aggregate
                + " AND d.sequence_number = " + sequence + "), " + tokenPosition + ")";
    }
}
