package dev.referralledger.api.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.referral.ReferralReceived;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events stored by an older version (fixtures under src/test/resources/events) read through today's code: the
 * upcaster chain of the event store, the aggregate, and the projections.
 */
class StoredRevisionsApiTest extends ApiTestSupport {

    private static final Instant STORED_AT = Instant.parse("2023-05-01T10:00:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventStore eventStore;

    private static String fixture(String name) throws IOException {
        try (InputStream in = StoredRevisionsApiTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Inserts a revision 1 ReferralReceived as the old version stored it: no revision, plaintext, no receivedAt. */
    private String storeRevision1(String tenantId) throws IOException {
        String referralId = "legacy-" + UUID.randomUUID();
        String payload = fixture("ReferralReceived-rev1.json").replace("__REFERRAL_ID__", referralId)
                .replace("__TENANT_ID__", tenantId).replace("__ADVOCATE_ID__", UUID.randomUUID().toString())
                .replace("__REFERRED_ID__", UUID.randomUUID().toString());
        jdbc.update("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, 0, 'Referral', ?, ?, NULL, ?, ?)""",
                UUID.randomUUID().toString(), referralId, STORED_AT.toString(), ReferralReceived.class.getName(),
                payload.getBytes(StandardCharsets.UTF_8),
                ("{\"tenantId\":\"" + tenantId + "\"}").getBytes(StandardCharsets.UTF_8));
        return referralId;
    }

    @Test
    void aRevision1ReferralReceivedIsUpcastWithTheTimeItWasStored() throws Exception {
        Client api = newTenant();
        String referralId = storeRevision1(api.tenantId);

        // the event store: upcast to revision 2, receivedAt from the stored timestamp, plaintext still reads
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(referralId).asStream().toList();
        assertThat(events).hasSize(1);
        ReferralReceived received = (ReferralReceived) events.get(0).getPayload();
        assertThat(received.receivedAt()).isEqualTo(STORED_AT);
        assertThat(received.referrer().email()).isEqualTo("pat.legacy@example.com");
        assertThat(received.contacts()).hasSize(1);
        assertThat(received.expectedValue().amount()).isEqualByComparingTo("50000");

        // the projection, fed by the processor through the same chain
        JsonNode view = await(api, referralId);
        assertThat(Instant.parse(view.path("createdAt").asText())).isEqualTo(STORED_AT);
        assertThat(view.path("referred").path("email").asText()).isEqualTo("sam.legacy@example.com");

        // the aggregate sources itself from it and moves on; the new event is of today's revision
        assertThat(api.post("/api/v1/referrals/" + referralId + "/contact", null).status()).isEqualTo(200);
        assertThat(jdbc.queryForList("""
                SELECT coalesce(payload_revision, '-') FROM domain_event_entry WHERE aggregate_identifier = ?
                ORDER BY sequence_number""", String.class, referralId)).containsExactly("-", "-");
        // the auditor's history shows what is stored: revision 1, without receivedAt
        JsonNode history = api.get("/api/v1/referrals/" + referralId + "/events").json();
        assertThat(history.toString()).contains("pat.legacy@example.com").doesNotContain("receivedAt");
    }

    @Test
    void newReferralsAreStoredAsRevision2AndAnImportKeepsItsReceivedAt() {
        Client api = newTenant();
        Answer imported = api.post("/api/v1/referrals/import", """
                [{"idempotencyKey": "crm-1", "receivedAt": "2022-11-05T08:15:00Z",
                  "referrer": {"name": "Pat", "email": "pat.import@example.com"},
                  "referred": {"firstName": "Sam", "email": "sam.import@example.com"}}]""");
        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        String referralId = imported.json().path("results").get(0).path("referralId").asText();
        assertThat(jdbc.queryForObject("""
                SELECT payload_revision FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0""",
                String.class, referralId)).isEqualTo("2");
        JsonNode view = await(api, referralId);
        assertThat(Instant.parse(view.path("createdAt").asText())).isEqualTo(Instant.parse("2022-11-05T08:15:00Z"));

        Answer refused = api.post("/api/v1/referrals", """
                {"receivedAt": "2022-11-05T08:15:00Z", "referrer": {"email": "pat.import@example.com"},
                 "referred": {"firstName": "Kim", "email": "kim.import@example.com"}}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).containsExactly("receivedAt:IMPORT_ONLY");
    }

    private JsonNode await(Client api, String referralId) {
        Answer answer = api.get("/api/v1/referrals/" + referralId);
        for (int i = 0; i < 200 && answer.status() != 200; i++) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer = api.get("/api/v1/referrals/" + referralId);
        }
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }
}
