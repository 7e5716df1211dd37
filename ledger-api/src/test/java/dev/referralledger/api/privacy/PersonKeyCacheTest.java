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

    @Test
    void aKeyAThreadRemembersForItselfIsDroppedOnceAnotherThreadErasesThePerson() throws Exception {
        String advocate = UUID.randomUUID().toString();
        String referred = UUID.randomUUID().toString();
        byte[] advocateKey = keys.keyForWriting(tenant, advocate);
        byte[] referredKey = keys.keyForWriting(tenant, referred);
        java.util.concurrent.ExecutorService processor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Callable<PersonKeyStore.SubjectKey[]> readBoth = () -> new PersonKeyStore.SubjectKey[]{
                    keys.keyForReading(tenant, advocate), keys.keyForReading(tenant, referred),
                    keys.keyForReading(tenant, advocate)};
            PersonKeyStore.SubjectKey[] before = processor.submit(readBoth).get();
            assertThat(before[0].key()).isEqualTo(advocateKey);
            assertThat(before[1].key()).isEqualTo(referredKey);

            keys.destroy(tenant, advocate, java.util.List.of(), java.util.List.of()); // on this thread, committed

            PersonKeyStore.SubjectKey[] after = processor.submit(readBoth).get();
            assertThat(after[0].erased()).as("the other thread's remembered key is not used after the erasure").isTrue();
            assertThat(after[2].erased()).isTrue();
            assertThat(after[1].key()).isEqualTo(referredKey);
        } finally {
            processor.shutdownNow();
        }
    }

    @Test
    void aRememberedKeyIsNotUsedPastTheCachesTimeToLive() throws Exception {
        String subject = UUID.randomUUID().toString();
        keys.keyForWriting(tenant, subject);
        PersonKeyStore shortLived = new PersonKeyStore(jdbc, Duration.ofMillis(50));
        assertThat(shortLived.keyForReading(tenant, subject).erased()).isFalse();
        // erased by another process: this one learns of it only through its time to live
        jdbc.update("UPDATE person_key SET key_bytes = NULL, erased_at = now() WHERE tenant_id = ? AND subject_id = ?",
                tenant, subject);
        assertThat(shortLived.keyForReading(tenant, subject).erased()).as("within its time to live").isFalse();
        Thread.sleep(80);
        assertThat(shortLived.keyForReading(tenant, subject).erased()).isTrue();
    }

    /** A JdbcTemplate that counts the statements it runs. */
    private JdbcTemplate counting(java.util.concurrent.atomic.AtomicInteger statements) {
        return new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int update(String sql, Object... args) {
                statements.incrementAndGet();
                return super.update(sql, args);
            }

            @Override
            public <T> java.util.List<T> query(String sql, org.springframework.jdbc.core.RowMapper<T> rows, Object... args) {
                statements.incrementAndGet();
                return super.query(sql, rows, args);
            }

            @Override
            public void query(String sql, org.springframework.jdbc.core.RowCallbackHandler rows, Object... args) {
                statements.incrementAndGet();
                super.query(sql, rows, args);
            }
        };
    }

    @Test
    void aRebuildLaneMissingAKeyReadsTheKeysMadeAfterItWithIt() throws Exception {
        java.util.List<String> subjects = new java.util.ArrayList<>();
        java.util.List<byte[]> made = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            subjects.add(UUID.randomUUID().toString());
            made.add(keys.keyForWriting(tenant, subjects.get(i))); // one transaction each: later ones made later
        }
        String erased = subjects.get(3);
        keys.destroy(tenant, erased, java.util.List.of(), java.util.List.of());
        java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();

        PersonKeyStore live = new PersonKeyStore(counting(statements), Duration.ofMinutes(5));
        assertThat(live.keyForReading(tenant, subjects.get(1)).key()).isEqualTo(made.get(1));
        assertThat(live.keyForReading(tenant, subjects.get(2)).key()).isEqualTo(made.get(2));
        assertThat(statements.get()).as("a live reader reads the keys it needs, one by one").isEqualTo(2);

        statements.set(0);
        PersonKeyStore reader = new PersonKeyStore(counting(statements), Duration.ofMinutes(5));
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread lane = new Thread(() -> {
            try {
                PersonKeyStore.replayingInThisThread();
                transaction.executeWithoutResult(tx -> {
                    assertThat(reader.keyForReading(tenant, subjects.get(1)).key()).isEqualTo(made.get(1));
                    assertThat(statements.get()).as("the key, then the keys made after it").isEqualTo(2);
                    for (int i = 2; i < 5; i++) {
                        PersonKeyStore.SubjectKey key = reader.keyForReading(tenant, subjects.get(i));
                        if (subjects.get(i).equals(erased)) {
                            assertThat(key.erased()).as("read ahead as erased").isTrue();
                        } else {
                            assertThat(key.key()).isEqualTo(made.get(i));
                        }
                    }
                    assertThat(statements.get()).as("the keys made after the one missed came with it").isEqualTo(2);
                    assertThat(reader.keyForReading(tenant, subjects.get(0)).key()).as("made before: read anew")
                            .isEqualTo(made.get(0));
                    assertThat(reader.keyForReading(tenant, "nobody")).isNull();
                    assertThat(reader.keyForReading("another-tenant", subjects.get(2)))
                            .as("other tenants' keys are theirs").isNull();
                });
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        lane.start();
        lane.join();
        assertThat(failed.get()).isNull();
    }

    @Test
    void aTransactionMakesANewPersonsKeyOnceForAllTheirFields() {
        java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();
        PersonKeyStore store = new PersonKeyStore(counting(statements), Duration.ofMinutes(5));
        String subject = UUID.randomUUID().toString();
        byte[][] sealedWith = new byte[3][];
        transaction.executeWithoutResult(tx -> {
            for (int field = 0; field < 3; field++) {
                sealedWith[field] = store.keyForWriting(tenant, subject);
            }
            assertThat(statements.get()).as("one statement makes and answers the key, not one per field").isEqualTo(1);
            assertThat(store.keyForReading(tenant, subject).key()).isEqualTo(sealedWith[0]);
            assertThat(statements.get()).isEqualTo(1);
        });
        assertThat(sealedWith[1]).isEqualTo(sealedWith[0]);
        assertThat(sealedWith[2]).isEqualTo(sealedWith[0]);
        assertThat(keys.keyForReading(tenant, subject).key()).as("the key committed is the one used").isEqualTo(sealedWith[0]);

        String erased = UUID.randomUUID().toString();
        transaction.executeWithoutResult(tx -> {
            store.keyForWriting(tenant, erased);
            store.destroy(tenant, erased, java.util.List.of(), java.util.List.of());
            assertThat(store.keyForWriting(tenant, erased)).as("erased in this transaction: nothing sealed any more").isNull();
            assertThat(store.keyForReading(tenant, erased).erased()).isTrue();
        });
    }
}
