package dev.referralledger.api.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Proves the stored events are the ones written: walks (a) every aggregate's hash chain, recomputing each event's
 * hash from its stored fields, and (b) the checkpoints, recomputing each from the events of its range. The
 * chains catch a changed event and a removed or inserted event in the middle of an aggregate; the checkpoints
 * catch what the chains cannot see: a removed last event of an aggregate, a forged aggregate, or a forged chain
 * recomputed end to end, within the sealed positions. Both are computed in PostgreSQL in one pass each, in one
 * repeatable-read transaction, so that the events stay where they are while they are checked.
 */
@Component
public class EventChainVerifier {

    /** The first broken link: where (global position, aggregate, sequence or checkpoint) and what is wrong. */
    public record BrokenLink(String problem, Long position, String aggregateId, Long sequence, Long checkpoint,
                             String detail) {
    }

    /**
     * The outcome: {@code ok} when nothing is broken. {@code brokenEvent} is the broken aggregate link with the
     * lowest position, {@code brokenCheckpoint} the first broken checkpoint; {@code sealedUpTo} the last position
     * the checkpoints cover (later events are only protected by their aggregate's chain until sealed).
     */
    public record Report(boolean ok, long eventsChecked, long brokenEvents, BrokenLink brokenEvent,
                         long checkpointsChecked, long brokenCheckpoints, BrokenLink brokenCheckpoint,
                         long sealedUpTo, long millis, long eventsPerSecond) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public EventChainVerifier(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        transactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        transactions.setReadOnly(true);
    }

    public Report verify() {
        long started = System.nanoTime();
        return transactions.execute(status -> {
            Chains chains = chains();
            Checkpoints checkpoints = checkpoints();
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new Report(chains.broken == 0 && checkpoints.broken == 0, chains.events, chains.broken, chains.first,
                    checkpoints.checked, checkpoints.broken, checkpoints.first, checkpoints.sealedUpTo, millis,
                    chains.events * 1000 / Math.max(millis, 1));
        });
    }

    private record Chains(long events, long broken, BrokenLink first) {
    }

    /**
     * Each event against its aggregate's previous one (by sequence): the sequence follows on, previous_hash is the
     * previous event's hash (the genesis hash for sequence 0), and event_hash is the hash of the stored fields.
     */
    private Chains chains() {
        return jdbc.queryForObject("""
                WITH checked AS (
                    SELECT global_index, aggregate_identifier, sequence_number,
                           lag(sequence_number) OVER w AS prior_sequence,
                           CASE
                               WHEN sequence_number <> coalesce(lag(sequence_number) OVER w + 1, 0) THEN 'SEQUENCE_GAP'
                               WHEN previous_hash <> coalesce(lag(event_hash) OVER w, ledger_event_genesis())
                                   THEN 'PREVIOUS_HASH_MISMATCH'
                               WHEN event_hash <> ledger_event_hash(previous_hash, event_identifier, aggregate_identifier,
                                       sequence_number, type, time_stamp, payload_type, payload_revision, payload,
                                       meta_data) THEN 'HASH_MISMATCH'
                           END AS problem
                    FROM domain_event_entry
                    WINDOW w AS (PARTITION BY aggregate_identifier ORDER BY sequence_number))
                SELECT count(*) AS events,
                       count(problem) AS broken,
                       min(global_index) FILTER (WHERE problem IS NOT NULL) AS position,
                       (array_agg(aggregate_identifier ORDER BY global_index) FILTER (WHERE problem IS NOT NULL))[1] AS aggregate_id,
                       (array_agg(sequence_number ORDER BY global_index) FILTER (WHERE problem IS NOT NULL))[1] AS sequence,
                       (array_agg(prior_sequence ORDER BY global_index) FILTER (WHERE problem IS NOT NULL))[1] AS prior_sequence,
                       (array_agg(problem ORDER BY global_index) FILTER (WHERE problem IS NOT NULL))[1] AS problem
                FROM checked""", (rs, i) -> {
            long broken = rs.getLong("broken");
            BrokenLink first = null;
            if (broken > 0) {
                long sequence = rs.getLong("sequence");
                Long prior = rs.getObject("prior_sequence") == null ? null : rs.getLong("prior_sequence");
                String problem = rs.getString("problem");
                first = new BrokenLink(problem, rs.getLong("position"), rs.getString("aggregate_id"), sequence, null,
                        describe(problem, sequence, prior));
            }
            return new Chains(rs.getLong("events"), broken, first);
        });
    }

    private static String describe(String problem, long sequence, Long prior) {
        return switch (problem) {
            case "SEQUENCE_GAP" -> prior == null
                    ? "the aggregate's first stored event has sequence " + sequence + ": sequence 0 to " + (sequence - 1)
                    + " are missing"
                    : "sequence " + sequence + " follows " + prior + ": " + (prior + 1 == sequence - 1
                    ? "sequence " + (prior + 1) + " is missing" : "sequences " + (prior + 1) + " to " + (sequence - 1)
                    + " are missing");
            case "PREVIOUS_HASH_MISMATCH" -> "previous_hash is not the hash of sequence " + (sequence - 1)
                    + ": the event before it was changed or replaced";
            default -> "the stored fields do not hash to event_hash: the event was changed";
        };
    }

    private static final class Checkpoints {
        long checked;
        long broken;
        long sealedUpTo;
        BrokenLink first;
        byte[] previousHash = new byte[32];

        void fail(String problem, long number, long position, String detail) {
            broken++;
            if (first == null) {
                first = new BrokenLink(problem, position, null, null, number, detail);
            }
        }
    }

    /** Each checkpoint recomputed from the events of its range, and chained to the one before. */
    private Checkpoints checkpoints() {
        Checkpoints result = new Checkpoints();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    SELECT c.checkpoint_number, c.from_position, c.to_position, c.event_count, c.previous_hash,
                           c.checkpoint_hash, e.events, e.hash
                    FROM event_checkpoint c
                    CROSS JOIN LATERAL (
                        SELECT count(*) AS events,
                               sha256(c.previous_hash || coalesce(string_agg(event_hash, ''::bytea ORDER BY global_index), ''::bytea)) AS hash
                        FROM domain_event_entry WHERE global_index BETWEEN c.from_position AND c.to_position) e
                    ORDER BY c.checkpoint_number""");
            statement.setFetchSize(100);
            return statement;
        }, (RowCallbackHandler) rs -> {
            long number = rs.getLong("checkpoint_number");
            long from = rs.getLong("from_position");
            long to = rs.getLong("to_position");
            long count = rs.getLong("event_count");
            long events = rs.getLong("events");
            byte[] stored = rs.getBytes("checkpoint_hash");
            result.checked++;
            if (number != result.checked || from != result.sealedUpTo + 1) {
                result.fail("CHECKPOINT_SEQUENCE", number, from, "checkpoint " + number + " covers " + from + ".." + to
                        + " but should be checkpoint " + result.checked + " from position " + (result.sealedUpTo + 1)
                        + ": a checkpoint was removed or inserted");
            } else if (!Arrays.equals(rs.getBytes("previous_hash"), result.previousHash)) {
                result.fail("CHECKPOINT_PREVIOUS_HASH_MISMATCH", number, from,
                        "previous_hash is not the hash of checkpoint " + (number - 1));
            } else if (count != events) {
                result.fail("CHECKPOINT_EVENT_COUNT", number, from, "positions " + from + ".." + to + " were sealed with "
                        + count + " events and now hold " + events + ": events were "
                        + (events < count ? "removed" : "inserted"));
            } else if (!Arrays.equals(stored, rs.getBytes("hash"))) {
                result.fail("CHECKPOINT_HASH_MISMATCH", number, from, "the events of positions " + from + ".." + to
                        + " do not hash to checkpoint_hash " + HexFormat.of().formatHex(stored)
                        + ": an event was changed, replaced or re-chained");
            }
            result.previousHash = stored;
            result.sealedUpTo = to;
        });
        return result;
    }
}
