package dev.referralledger.projections.person;

import dev.referralledger.core.program.AdvocateEnrolled;
import dev.referralledger.core.program.AdvocateRole;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.Channel;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import dev.referralledger.projections.testing.TestDatabase;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The people projection against real PostgreSQL. */
class PersonProjectionTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated());
    private final PersonProjection projection = new PersonProjection(jdbc);
    private final String tenant = "t-" + UUID.randomUUID();
    private final String pat = UUID.randomUUID().toString();
    private final String sam = UUID.randomUUID().toString();
    private final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");

    private ReferralReceived received(String referralId) {
        return new ReferralReceived(referralId, tenant, new Advocate("Pat", "pat@example.com", null, null),
                new ReferredPerson("Sam", "Lee", "sam@example.com", "+14155552671"), List.of(), null, Channel.API,
                null, null, null, Map.of(), null, pat, sam, null, null, null, null, null, null);
    }

    private Map<String, Object> person(String id) {
        return jdbc.queryForMap("SELECT * FROM person WHERE person_id = ?", id);
    }

    @Test
    void referredPeopleGetLeadSourceReferralAndAdvocatesDoNot() {
        projection.on(received("r-1"), t0);
        assertThat(person(sam)).containsEntry("lead_source", "REFERRAL").containsEntry("name", "Sam Lee")
                .containsEntry("phone", "+14155552671").containsEntry("tenant_id", tenant);
        assertThat(person(pat).get("lead_source")).isNull();
        assertThat(person(pat)).containsEntry("email", "pat@example.com");
    }

    @Test
    void applyingEventsTwiceAndInOneBatchChangesNothing() {
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch")).execute(() -> {
            projection.on(received("r-1"), t0);
            projection.on(received("r-2"), t0.plusSeconds(60));
            projection.on(new AdvocateEnrolled("e-1", tenant, "p-1", pat, "ABCD2345", AdvocateRole.CUSTOMER,
                    "Patricia", "pat@example.com", "+442071838750", null), t0.plusSeconds(30));
        });
        Map<String, Object> first = person(pat);
        projection.on(received("r-1"), t0);
        assertThat(person(pat)).isEqualTo(first);
        // the first name seen is kept, a missing phone is filled in, first and last seen span the batch
        assertThat(first).containsEntry("name", "Pat").containsEntry("phone", "+442071838750");
        assertThat(((java.sql.Timestamp) first.get("first_seen_at")).toInstant()).isEqualTo(t0);
        assertThat(((java.sql.Timestamp) first.get("last_seen_at")).toInstant()).isEqualTo(t0.plusSeconds(60));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM person WHERE tenant_id = ?", Long.class, tenant)).isEqualTo(2);
    }
}
