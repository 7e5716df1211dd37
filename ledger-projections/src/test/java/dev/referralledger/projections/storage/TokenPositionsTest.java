package dev.referralledger.projections.storage;

import dev.referralledger.projections.TokenPositions;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row's position comes from the event store unless the writing thread was told its tokens are the events' own
 * positions (a rebuild whose events all moved the token forward).
 */
class TokenPositionsTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());

    @AfterEach
    void byDefaultPositionsAreLookedUp() {
        TokenPositions.exactInThisThread(false);
    }

    @Test
    void aTokenAheadOfItsEventIsCorrectedByTheStoreUnlessTokensAreExact() {
        String aggregate = "token-positions-" + System.nanoTime();
        jdbc.update("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload, meta_data)
                VALUES (gen_random_uuid()::text, ?, 0, 'Referral', '2026-11-21T00:00:00Z', 'probe', '\\x7b7d', '\\x7b7d')""",
                aggregate);
        long stored = jdbc.queryForObject("SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregate);
        long ahead = stored + 1_000; // the token of an event that committed late

        String lookedUp = "SELECT " + TokenPositions.of("a", "s", "t") + " FROM (SELECT ?::text AS a, 0 AS s, ?::bigint AS t) v";
        assertThat(jdbc.queryForObject(lookedUp, Long.class, aggregate, ahead)).isEqualTo(stored);
        assertThat(jdbc.queryForObject(lookedUp, Long.class, "no-such-aggregate", ahead)).isEqualTo(ahead);

        TokenPositions.exactInThisThread(true);
        String asIs = "SELECT " + TokenPositions.of("a", "s", "t") + " FROM (SELECT ?::text AS a, 0 AS s, ?::bigint AS t) v";
        assertThat(asIs).doesNotContain("domain_event_entry");
        assertThat(jdbc.queryForObject(asIs, Long.class, aggregate, stored)).isEqualTo(stored);
    }
}
