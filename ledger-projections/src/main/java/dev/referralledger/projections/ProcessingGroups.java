package dev.referralledger.projections;

/**
 * Processing groups shared by several projections. Each group is one event processor with its own thread and
 * position; the low-volume directory projections share one, because every processor wakes, reads and stores
 * its position for every event written, whether it handles the event or not.
 */
public final class ProcessingGroups {

    /** programs and advocates, people, agents, invitations: one segment, in ledger order */
    public static final String DIRECTORY = "directory";

    private ProcessingGroups() {
    }
}
