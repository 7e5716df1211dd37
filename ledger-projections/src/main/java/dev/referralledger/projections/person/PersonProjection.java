package dev.referralledger.projections.person;

import dev.referralledger.projections.BatchWrites;
import dev.referralledger.projections.Unnest;

import dev.referralledger.projections.ProjectionTables;
import dev.referralledger.core.person.PersonErased;
import dev.referralledger.core.person.PersonalData;
import dev.referralledger.projections.BeforeCommit;
import dev.referralledger.projections.ProcessingGroups;
import dev.referralledger.core.program.AdvocateEnrolled;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.ReferralReceived;
import dev.referralledger.core.referral.ReferredPerson;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Owns {@code person}: every advocate and referred person of a tenant, with the contact details first seen and
 * their lead source. Reads ReferralReceived, AdvocateEnrolled and PersonErased. Writes are upserts that keep known values,
 * so replaying an event changes nothing; the people of a processor batch are written with one statement.
 */
@Component
@ProjectionTables({"person"})
@ProcessingGroup(ProcessingGroups.DIRECTORY)
public class PersonProjection {

    private static final String BATCH = PersonProjection.class.getName() + ".batch";

    private final JdbcTemplate jdbc;

    public PersonProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ReferralReceived e, @org.axonframework.eventhandling.Timestamp Instant at) {
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
    void on(AdvocateEnrolled e, @org.axonframework.eventhandling.Timestamp Instant at) {
        seen(e.advocateId(), e.tenantId(), e.name(), e.email(), e.phone(), e.externalId(), null, at);
    }

    /** The person's contact details become the marker; when they were first seen stays. */
    @EventHandler
    void on(PersonErased e) {
        BeforeCommit.run(() -> jdbc.update("""
                UPDATE person SET name = ?, email = ?, phone = ?, external_id = ? WHERE person_id = ? AND tenant_id = ?""",
                PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED,
                e.personId(), e.tenantId()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE person");
    }

    /** What a batch learned of one person; the first value seen wins, as in the table. */
    private static final class Seen {
        final String tenantId;
        String name, email, phone, externalId, leadSource;
        Instant first, last;

        Seen(String tenantId, Instant at) {
            this.tenantId = tenantId;
            this.first = at;
            this.last = at;
        }
    }

    /**
     * Collects the people of the current processor batch and writes them with one statement before it commits
     * (at once outside a unit of work): one round trip per batch instead of two per referral during a replay.
     */
    private void seen(String personId, String tenantId, String name, String email, String phone, String externalId,
                      String leadSource, Instant at) {
        Map<String, Seen> batch;
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
            batch = unitOfWork.getOrComputeResource(BATCH, key -> {
                Map<String, Seen> created = new TreeMap<>();
                BatchWrites.register(unitOfWork, () -> write(created), false);
                return created;
            });
        } else {
            batch = new TreeMap<>();
        }
        Seen p = batch.computeIfAbsent(personId, id -> new Seen(tenantId, at));
        p.name = p.name != null ? p.name : name;
        p.email = p.email != null ? p.email : email;
        p.phone = p.phone != null ? p.phone : phone;
        p.externalId = p.externalId != null ? p.externalId : externalId;
        p.leadSource = p.leadSource != null ? p.leadSource : leadSource;
        p.first = at.isBefore(p.first) ? at : p.first;
        p.last = at.isAfter(p.last) ? at : p.last;
        if (!CurrentUnitOfWork.isStarted()) {
            write(batch);
        }
    }

    private static final String[] PERSON_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
            "varchar", "timestamptz", "timestamptz"};

    /** One upsert for the whole batch, in person id order (the map is sorted). */
    private void write(Map<String, Seen> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<String, Seen> e : batch.entrySet()) {
            Seen p = e.getValue();
            rows.add(new Object[]{e.getKey(), p.tenantId, p.name, p.email, p.phone, p.externalId, p.leadSource,
                    Timestamp.from(p.first), Timestamp.from(p.last)});
        }
        Unnest.update(jdbc, """
                INSERT INTO person AS p (person_id, tenant_id, name, email, phone, external_id, lead_source,
                    first_seen_at, last_seen_at)
                SELECT * FROM unnest(%s)
                ON CONFLICT (person_id) DO UPDATE SET name = COALESCE(p.name, EXCLUDED.name),
                    email = COALESCE(p.email, EXCLUDED.email), phone = COALESCE(p.phone, EXCLUDED.phone),
                    external_id = COALESCE(p.external_id, EXCLUDED.external_id),
                    lead_source = COALESCE(p.lead_source, EXCLUDED.lead_source),
                    first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at),
                    last_seen_at = GREATEST(p.last_seen_at, EXCLUDED.last_seen_at)""", PERSON_TYPES, rows);
        batch.clear();
    }
}
