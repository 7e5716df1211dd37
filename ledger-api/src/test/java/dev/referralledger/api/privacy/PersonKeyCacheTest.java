package dev.referralledger.api.privacy;

import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link PersonKeyStore} caches a key: at once when it was read, only after the commit when the
 * transaction made it.
 */
class PersonKeyCacheTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    private final PersonKeyStore keys = new PersonKeyStore(jdbc, Duration.ofMinutes(5));
    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void aKeyReadInsideALongTransactionServesTheRestOfItFromTheCache() {
        String subject = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO person_key (tenant_id, subject_id, key_bytes) VALUES (?, ?, ?)", tenant, subject,
                new byte[PersonKeyStore.KEY_BYTES]);
        transaction.executeWithoutResult(tx -> {
            assertThat(keys.keyForReading(tenant, subject)).isNotNull();
            // gone from the table (another transaction, committed): only the cache can still answer
            new JdbcTemplate(TestDatabase.migrated()).update(
                    "DELETE FROM person_key WHERE tenant_id = ? AND subject_id = ?", tenant, subject);
            assertThat(keys.keyForReading(tenant, subject)).as("looked up once per transaction, not per event")
                    .isNotNull();
        });
    }

    @Test
    void aKeyMadeByATransactionThatRollsBackIsNeverCached() {
        String subject = UUID.randomUUID().toString();
        transaction.executeWithoutResult(tx -> {
            assertThat(keys.keyForWriting(tenant, subject)).hasSize(PersonKeyStore.KEY_BYTES);
            assertThat(keys.keyForReading(tenant, subject)).isNotNull();
            tx.setRollbackOnly();
        });
        assertThat(keys.keyForReading(tenant, subject)).as("its row rolled back").isNull();
    }

    @Test
    void anErasureThatRollsBackLeavesNoErasedKeyInTheCache() {
        String subject = UUID.randomUUID().toString();
        byte[] made = keys.keyForWriting(tenant, subject);
        keys.forgetAll();
        transaction.executeWithoutResult(tx -> {
            keys.destroy(tenant, subject, java.util.List.of(), java.util.List.of());
            assertThat(keys.keyForReading(tenant, subject).erased()).isTrue();
            tx.setRollbackOnly();
        });
        assertThat(keys.keyForReading(tenant, subject).key()).isEqualTo(made);
    }
}
