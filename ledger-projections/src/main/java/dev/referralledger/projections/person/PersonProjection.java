package dev.referralledger.projections.person;

import dev.referralledger.core.program.AdvocateEnrolled;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Owns {@code person}: every advocate and referred person of a tenant, with the contact details first seen and
 * their lead source. Reads ReferralReceived and AdvocateEnrolled. Writes are upserts that keep known values,
 * so replaying an event changes nothing.
 */
@Component
@ProcessingGroup(PersonProjection.NAME)
public class PersonProjection {

    public static final String NAME = "people";

    private final JdbcTemplate jdbc;

    public PersonProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ReferralReceived e, @Timestamp Instant at) {
        Advocate referrer = e.referrer();
        if (e.advocateId() != null) {
            seen(e.advocateId(), e.tenantId(), referrer == null ? null : referrer.name(),
                    referrer == null ? null : referrer.email(), referrer == null ? null : referrer.phone(),
                    referrer == null ? null : referrer.externalId(), null, at);
        }
        ReferredPerson referred = e.referred();
        if (e.referredPersonId() != null) {
            String name = referred.lastName() == null ? referred.firstName() : referred.firstName() + " " + referred.lastName();
            // the referral is how this person reached the business: lead source REFERRAL, unless one was known
            seen(e.referredPersonId(), e.tenantId(), name, referred.email(), referred.phone(), null, "REFERRAL", at);
        }
    }

    @EventHandler
    void on(AdvocateEnrolled e, @Timestamp Instant at) {
        seen(e.advocateId(), e.tenantId(), e.name(), e.email(), e.phone(), e.externalId(), null, at);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM person");
    }

    private void seen(String personId, String tenantId, String name, String email, String phone, String externalId,
                      String leadSource, Instant at) {
        jdbc.update("""
                INSERT INTO person AS p (person_id, tenant_id, name, email, phone, external_id, lead_source,
                    first_seen_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (person_id) DO UPDATE SET name = COALESCE(p.name, EXCLUDED.name),
                    email = COALESCE(p.email, EXCLUDED.email), phone = COALESCE(p.phone, EXCLUDED.phone),
                    external_id = COALESCE(p.external_id, EXCLUDED.external_id),
                    lead_source = COALESCE(p.lead_source, EXCLUDED.lead_source),
                    first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at),
                    last_seen_at = GREATEST(p.last_seen_at, EXCLUDED.last_seen_at)""",
                personId, tenantId, name, email, phone, externalId, leadSource, java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at));
    }
}
