package dev.referralledger.api.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Seals the events in global order into {@code event_checkpoint} rows, each chained to the one before.
 *
 * <p>Events commit out of position order: a transaction may hold position 10 while position 11 is already
 * committed. So the sealer never seals up to the highest position it sees. Each run first takes a
 * <em>candidate</em>: the highest position handed out so far and the list of transactions running at that
 * moment (a {@code pg_snapshot}). A later run seals up to the candidate once every one of those transactions has
 * ended and the candidate is at least {@code ledger.audit.seal-min-age} old: by then every position up to it is
 * either committed or rolled back for good (a hole). "Ended" is judged by the snapshot the sealing statements
 * themselves see (a transaction is committed a moment before new snapshots see its rows). The minimum age covers
 * the few microseconds between a writer taking its position (the column default) and its transaction getting an
 * id (its first row written), when it is in neither list. Writers never wait for the sealer, and the sealer never
 * waits for writers: it only reads the event table.</p>
 *
 * <p>Only one node seals at a time (a transaction-scoped advisory lock; the others skip their run).</p>
 */
@Component
public class EventSealer {

    private static final Logger log = LoggerFactory.getLogger(EventSealer.class);
    /** Any constant shared by all nodes: the advisory lock that lets one sealer run at a time. */
    static final long LOCK_KEY = 0x4c6564676572L; // "Ledger"
    /** Positions per checkpoint at most, so that one checkpoint's hash is computed from a bounded range. */
    static final long MAX_POSITIONS = 100_000;

    /** One sealed range. */
    public record Checkpoint(long number, long fromPosition, long toPosition, long eventCount, String hash,
                             Instant sealedAt) {
    }

    /**
     * What a run did: the checkpoints it wrote, the last sealed position, and the position it will seal next
     * (null when there is nothing new). {@code skipped} when another node was sealing.
     */
    public record Sealed(List<Checkpoint> checkpoints, long sealedUpTo, Long candidateUpTo, boolean skipped) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;

    public EventSealer(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditProperties properties) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${ledger.audit.seal-interval:PT1M}", initialDelayString = "${ledger.audit.seal-interval:PT1M}")
    void sealPeriodically() {
        try {
            Sealed sealed = seal();
            if (!sealed.checkpoints().isEmpty()) {
                log.info("Sealed events up to position {} in {} checkpoint(s)", sealed.sealedUpTo(),
                        sealed.checkpoints().size());
            }
        } catch (RuntimeException e) {
            log.warn("Sealing events failed; the next run tries again", e);
        }
    }

    /** One sealing run: seals the previous candidate if it is settled, then takes a new candidate. */
    public Sealed seal() {
        return transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY))) {
                return new Sealed(List.of(), -1, null, true);
            }
            Last last = last();
            List<Checkpoint> written = new ArrayList<>();
            List<Map<String, Object>> candidates = jdbc.queryForList("""
                    SELECT up_to,
                           taken_at <= clock_timestamp() - make_interval(secs => ?) AS old_enough,
                           NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(running) x
                                       WHERE NOT pg_visible_in_snapshot(x, pg_current_snapshot())) AS settled
                    FROM event_seal_candidate WHERE id = 1""", properties.sealMinAge().toMillis() / 1000.0);
            Long pending = null;
            if (!candidates.isEmpty()) {
                Map<String, Object> candidate = candidates.get(0);
                long upTo = ((Number) candidate.get("up_to")).longValue();
                if (Boolean.TRUE.equals(candidate.get("old_enough")) && Boolean.TRUE.equals(candidate.get("settled"))) {
                    while (last.toPosition < upTo) {
                        Checkpoint checkpoint = sealRange(last, Math.min(upTo, last.toPosition + MAX_POSITIONS));
                        written.add(checkpoint);
                        last = new Last(checkpoint.number(), checkpoint.toPosition(), HexFormat.of().parseHex(checkpoint.hash()));
                    }
                    jdbc.update("DELETE FROM event_seal_candidate WHERE id = 1");
                } else {
                    pending = upTo; // wait for it: a newer candidate would only wait for newer transactions
                }
            }
            if (pending == null) {
                long handedOut = highestPositionHandedOut();
                if (handedOut > last.toPosition) {
                    // the snapshot is taken after the position was read: every writer holding a position up to
                    // it is either listed as running or has already ended
                    jdbc.update("INSERT INTO event_seal_candidate (id, up_to, running, taken_at) "
                            + "VALUES (1, ?, pg_current_snapshot(), clock_timestamp())", handedOut);
                    pending = handedOut;
                }
            }
            return new Sealed(List.copyOf(written), last.toPosition, pending, false);
        });
    }

    private record Last(long number, long toPosition, byte[] hash) {
    }

    private Last last() {
        List<Last> rows = jdbc.query("SELECT checkpoint_number, to_position, checkpoint_hash FROM event_checkpoint "
                        + "ORDER BY checkpoint_number DESC LIMIT 1",
                (rs, i) -> new Last(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
        return rows.isEmpty() ? new Last(0, 0, new byte[32]) : rows.get(0);
    }

    private Checkpoint sealRange(Last last, long toPosition) {
        return jdbc.queryForObject("""
                        INSERT INTO event_checkpoint (checkpoint_number, from_position, to_position, event_count,
                                                      previous_hash, checkpoint_hash, sealed_at)
                        SELECT ?, ?, ?, count(*), ?::bytea,
                               sha256(?::bytea || coalesce(string_agg(event_hash, ''::bytea ORDER BY global_index), ''::bytea)),
                               clock_timestamp()
                        FROM domain_event_entry WHERE global_index BETWEEN ? AND ?
                        RETURNING checkpoint_number, from_position, to_position, event_count, checkpoint_hash, sealed_at""",
                (rs, i) -> new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        HexFormat.of().formatHex(rs.getBytes(5)), rs.getTimestamp(6).toInstant()),
                last.number + 1, last.toPosition + 1, toPosition, last.hash, last.hash, last.toPosition + 1, toPosition);
    }

    /** The highest position the identity sequence has handed out, committed or not. */
    private long highestPositionHandedOut() {
        String sequence = jdbc.queryForObject("SELECT pg_get_serial_sequence('domain_event_entry', 'global_index')",
                String.class);
        return jdbc.queryForObject("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM " + sequence,
                Long.class);
    }
}
