package dev.referralledger.api.lookup;

import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.person.People;
import dev.referralledger.projections.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command side's lookups of several keys at once, on PostgreSQL, and two commands claiming one new person. */
class JdbcLookupsTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    private final JdbcLookups lookups = new JdbcLookups(jdbc);
    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void findAllAnswersEachKeyInTheOrderAskedAndLeavesOutExpiredAndOtherTenantsKeys() {
        lookups.put(tenant, LookupKind.PERSON_EMAIL, "ann@example.com", "ann", null, null);
        lookups.put("other-" + tenant, LookupKind.PERSON_PHONE, "+14155550100", "someone-else", null, null);
        lookups.claim(tenant, LookupKind.REFERRED_IN_PROGRAM, "p1:ann", "r1", "p1", null, Instant.now().minusSeconds(1));

        List<Lookups.Entry> found = lookups.findAll(tenant, List.of(
                new Lookups.Key(LookupKind.PERSON_PHONE, "+14155550100"),
                new Lookups.Key(LookupKind.PERSON_EMAIL, "ann@example.com"),
                new Lookups.Key(LookupKind.REFERRED_IN_PROGRAM, "p1:ann"),
                new Lookups.Key(LookupKind.PERSON_PHONE, "ann@example.com")));

        assertThat(found).hasSize(4);
        assertThat(found.get(0)).isNull();
        assertThat(found.get(1)).isEqualTo(new Lookups.Entry("ann", null, null, false));
        assertThat(found.get(2)).as("expired").isNull();
        assertThat(found.get(3)).as("another kind").isNull();
    }

    @Test
    void claimAllTakesTheFreeAndExpiredKeysAndAnswersTheHoldersOfTheOthers() {
        lookups.put(tenant, LookupKind.PERSON_EMAIL, "bob@example.com", "bob", null, null);
        lookups.claim(tenant, LookupKind.PERSON_PHONE, "+14155550101", "gone", null, null, Instant.now().minusSeconds(1));

        List<Lookups.Entry> claimed = lookups.claimAll(tenant, List.of(
                new Lookups.Claim(LookupKind.PERSON_EMAIL, "bob@example.com", "carol"),
                new Lookups.Claim(LookupKind.PERSON_PHONE, "+14155550101", "carol"),
                new Lookups.Claim(LookupKind.PERSON_EXTERNAL_ID, "crm-9", "carol")));

        assertThat(claimed).containsExactly(new Lookups.Entry("bob", null, null, false),
                new Lookups.Entry("carol", null, null, true), new Lookups.Entry("carol", null, null, true));
        assertThat(lookups.find(tenant, LookupKind.PERSON_PHONE, "+14155550101")).contains(
                new Lookups.Entry("carol", null, null, false));
    }

    @Test
    void twoCommandsIntroducingTheSamePersonAtOnceGetOnePersonWithEveryIdentifier() throws Exception {
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch secondRead = new CountDownLatch(1);
        // the first command claims the email and phone, then waits until the second has read them as free
        CompletableFuture<People.Resolved> first = CompletableFuture.supplyAsync(() -> transaction.execute(tx -> {
            People.Resolved resolved = People.resolve(lookups, tenant, "dan@example.com", "+14155550102", null);
            firstClaimed.countDown();
            await(secondRead);
            return resolved;
        }));
        await(firstClaimed);
        // the second read both keys before the first committed, so it claims them too: its claim of the email
        // waits for the first transaction, then finds the email taken; its external id goes to the first's person
        Lookups readBeforeTheCommit = new JdbcLookups(jdbc) {
            @Override
            public List<Entry> findAll(String tenantId, List<Key> keys) {
                List<Entry> free = super.findAll(tenantId, keys);
                secondRead.countDown();
                return free;
            }
        };
        People.Resolved second = transaction.execute(tx ->
                People.resolve(readBeforeTheCommit, tenant, "dan@example.com", "+14155550102", "crm-10"));

        People.Resolved dan = first.get(10, TimeUnit.SECONDS);
        assertThat(dan.isNew()).isTrue();
        assertThat(second).isEqualTo(new People.Resolved(dan.personId(), false));
        for (Lookups.Key key : List.of(new Lookups.Key(LookupKind.PERSON_EMAIL, "dan@example.com"),
                new Lookups.Key(LookupKind.PERSON_PHONE, "+14155550102"),
                new Lookups.Key(LookupKind.PERSON_EXTERNAL_ID, "crm-10"))) {
            assertThat(lookups.find(tenant, key.kind(), key.key()).map(Lookups.Entry::ownerId)).as(key.toString())
                    .contains(dan.personId());
        }
    }

    @Test
    void theVelocityCountIsThisMinutesReferralsAndTheHourBefore() {
        Instant now = Instant.parse("2026-11-22T10:30:20Z");
        for (int minutesAgo : new int[]{1, 59, 60, 61}) {
            jdbc.update("""
                    INSERT INTO advocate_referral_rate (tenant_id, program_id, advocate_id, minute, referrals)
                    VALUES (?, 'p1', 'ann', ?, 10)""", tenant, java.sql.Timestamp.from(
                    now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(60L * minutesAgo)));
        }

        assertThat(lookups.countReferralInLastHour(tenant, "p1", "ann", now)).as("1 and 59 minutes ago, and this one")
                .isEqualTo(21);
        assertThat(lookups.countReferralInLastHour(tenant, "p1", "ann", now.plusSeconds(30))).isEqualTo(22);
        assertThat(lookups.countReferralInLastHour(tenant, "p1", "bob", now)).as("another advocate").isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
