package dev.referralledger.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.referralledger.api.ApiTestSupport;
import dev.referralledger.core.referral.Advocate;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.referral.ReferredPerson;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Erasure by crypto-shredding against PostgreSQL: personal data is stored encrypted, reads back, and after an
 * erasure reads as "[erased]" everywhere (API, projections, history, a rebuild) while the stored bytes, the
 * counts, the revenue and the rewards stay as they were.
 */
class PersonErasureApiTest extends ApiTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CommandGateway commands;

    private record Setup(Client api, String programId, String advocateId, String code) {
    }

    private Setup program() {
        Client api = newTenant();
        String program = api.post("/api/v1/programs", """
                {"name": "Friends", "slug": "friends", "velocityLimitPerHour": 1000}""").json().path("id").asText();
        assertThat(api.send("PUT", "/api/v1/programs/" + program + "/reward-policy", """
                {"referrer": {"type": "CASH", "fixedAmount": 50, "currency": "USD", "holdDays": 1},
                 "referred": {"type": "COUPON", "percentage": 10, "currency": "USD", "holdDays": 1}}""").status())
                .isEqualTo(200);
        JsonNode advocate = api.post("/api/v1/programs/" + program + "/advocates",
                "{\"name\": \"Pat Jones\", \"email\": \"pat.jones@example.com\"}").json();
        return new Setup(api, program, advocate.path("advocateId").asText(), advocate.path("referralCode").asText());
    }

    private String refer(Client api, String code, String first, String last, String email) {
        Answer made = api.post("/api/v1/referrals", """
                {"referralCode": "%s", "referred": {"firstName": "%s", "lastName": "%s", "email": "%s"},
                 "notes": "%s is moving in June", "contacts": [{"name": "Partner of %s", "email": "p.%s"}]}"""
                .formatted(code, first, last, email, first, first, email), "Idempotency-Key", "refer-" + email);
        assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
        return made.json().path("id").asText();
    }

    private List<byte[]> payloads(String aggregateId) {
        return jdbc.query("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                (rs, i) -> rs.getBytes(1), aggregateId);
    }

    private String stored(String aggregateId) {
        StringBuilder all = new StringBuilder();
        payloads(aggregateId).forEach(p -> all.append(new String(p, StandardCharsets.UTF_8)));
        return all.toString();
    }

    @Test
    void erasingAPersonShredsTheirDataEverywhereButKeepsFiguresAndOtherPeople() throws Exception {
        Setup s = program();
        Client api = s.api();
        String sam = refer(api, s.code(), "Samantha", "Leeward", "samantha@example.com");
        String kim = refer(api, s.code(), "Kimberly", "Northcote", "kimberly@example.com");
        assertThat(api.post("/api/v1/referrals/" + sam + "/convert",
                "{\"resultingDealId\": \"deal-1\", \"dealValue\": 1000, \"currency\": \"USD\"}").status()).isEqualTo(200);

        // stored: no plaintext of the referred person, the contact or the advocate; readable through the API
        String samEvents = stored(sam);
        assertThat(samEvents).doesNotContain("samantha@example.com", "Samantha", "Leeward", "moving in June",
                "pat.jones@example.com", "Pat Jones").contains("\"pii:v1:" + api.tenantId + ":");
        String enrollment = jdbc.queryForObject("SELECT enrollment_id FROM program_advocate WHERE advocate_id = ?",
                String.class, s.advocateId());
        assertThat(stored(enrollment)).doesNotContain("pat.jones@example.com", "Pat Jones");
        JsonNode samView = api.get("/api/v1/referrals/" + sam).json();
        assertThat(samView.path("referred").path("email").asText()).isEqualTo("samantha@example.com");
        assertThat(samView.path("notes").asText()).isEqualTo("Samantha is moving in June");
        String samId = samView.path("referredPersonId").asText();
        assertThat(api.get("/api/v1/referrals/" + sam + "/events").json().toString())
                .contains("samantha@example.com").doesNotContain("pii:v1:");
        List<JsonNode> rewards = awaitRewards(api, sam, 2);
        List<byte[]> before = payloads(sam);

        Answer erased = api.post("/api/v1/persons/" + samId + "/erase", null);
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(200);
        assertThat(erased.json().path("erasedNow").asBoolean()).isTrue();
        assertThat(erased.json().path("releasedLookups").asInt()).isEqualTo(1);
        Answer again = api.post("/api/v1/persons/" + samId + "/erase", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("erasedNow").asBoolean()).isFalse();
        assertThat(api.post("/api/v1/persons/no-such-person/erase", null).status()).isEqualTo(404);
        assertThat(newTenant().post("/api/v1/persons/" + samId + "/erase", null).status()).isEqualTo(404);

        // the stored events are untouched (a hash chain over them still verifies); the key is gone, the row stays
        assertThat(payloads(sam)).containsExactlyElementsOf(before);
        Map<String, Object> key = jdbc.queryForMap("SELECT key_bytes, erased_at FROM person_key WHERE subject_id = ?", samId);
        assertThat(key.get("key_bytes")).isNull();
        assertThat(key.get("erased_at")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM command_lookup WHERE tenant_id = ? AND lookup_key = ?",
                Long.class, api.tenantId, "samantha@example.com")).isZero();
        // the stored answer to Samantha's referral (it shows her email) is gone; Kimberly's stays
        assertThat(jdbc.queryForList("SELECT idempotency_key FROM api_idempotency_key WHERE tenant_id = ?",
                String.class, api.tenantId)).containsExactly("refer-kimberly@example.com");

        await(() -> "[erased]".equals(api.get("/api/v1/persons/" + samId).json().path("email").asText()));
        assertErased(api, s, sam, kim, samId, rewards);
        // and the ledger still verifies: hash chains intact, every projection equal to its recomputation
        Answer verified = admin().post("/admin/verify", null);
        assertThat(verified.json().path("events").path("ok").asBoolean()).as(verified.raw().body()).isTrue();
        assertThat(verified.json().path("projections").path("same").asBoolean()).as(verified.raw().body()).isTrue();

        // a rebuild reads the events again: the undecryptable data and PersonErased keep the person erased
        List<Map<String, Object>> pipeline = jdbc.queryForList(
                "SELECT * FROM referral_pipeline WHERE tenant_id = ? ORDER BY referral_id", api.tenantId);
        assertThat(admin().post("/admin/projections/rebuild", null).status()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT * FROM referral_pipeline WHERE tenant_id = ? ORDER BY referral_id",
                api.tenantId)).isEqualTo(pipeline);
        assertErased(api, s, sam, kim, samId, rewards);

        // the released email is free again: a new referral of it is a new person, stored under a new key
        String back = api.post("/api/v1/referrals", """
                {"referralCode": "%s", "referred": {"firstName": "Samantha", "email": "samantha@example.com"}}"""
                .formatted(s.code())).json().path("id").asText();
        assertThat(api.get("/api/v1/referrals/" + back).json().path("referredPersonId").asText()).isNotEqualTo(samId);
        assertThat(api.get("/api/v1/referrals/" + back).json().path("referred").path("email").asText())
                .isEqualTo("samantha@example.com");
    }

    private void assertErased(Client api, Setup s, String sam, String kim, String samId, List<JsonNode> rewards) {
        JsonNode person = api.get("/api/v1/persons/" + samId).json();
        assertThat(person.path("name").asText()).isEqualTo("[erased]");
        assertThat(person.path("referralsReceivedTotal").asLong()).isEqualTo(1);
        JsonNode samView = api.get("/api/v1/referrals/" + sam).json();
        assertThat(samView.path("referred").path("email").asText()).isEqualTo("[erased]");
        assertThat(samView.path("referred").path("firstName").asText()).isEqualTo("[erased]");
        assertThat(samView.path("notes").asText()).isEqualTo("[erased]");
        assertThat(samView.path("contacts").size()).isZero();
        assertThat(samView.path("status").asText()).isEqualTo("CONVERTED");
        assertThat(samView.path("dealValue").path("amount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(samView.path("advocateId").asText()).isEqualTo(s.advocateId());
        String history = api.get("/api/v1/referrals/" + sam + "/events").json().toString();
        assertThat(history).contains("[erased]").doesNotContain("pii:v1:", "samantha@example.com");
        // the advocate and the other referred person are untouched
        JsonNode kimView = api.get("/api/v1/referrals/" + kim).json();
        assertThat(kimView.path("referred").path("email").asText()).isEqualTo("kimberly@example.com");
        assertThat(kimView.path("notes").asText()).isEqualTo("Kimberly is moving in June");
        assertThat(api.get("/api/v1/persons/" + s.advocateId()).json().path("email").asText())
                .isEqualTo("pat.jones@example.com");
        assertThat(jdbc.queryForObject("""
                SELECT total_referrals FROM advocate_stats WHERE tenant_id = ? AND advocate_key = ?""",
                Long.class, api.tenantId, "person:" + s.advocateId())).isEqualTo(2);
        assertThat(awaitRewards(api, sam, 2)).isEqualTo(rewards);
    }

    @Test
    void aKeyIsMadeInTheTransactionOfItsEventAndRolledBackWithIt() {
        Client api = newTenant();
        String id = api.post("/api/v1/referrals", referralBody("first@example.com")).json().path("id").asText();
        long keys = jdbc.queryForObject("SELECT count(*) FROM person_key WHERE tenant_id = ?", Long.class, api.tenantId);
        assertThat(keys).isEqualTo(2); // the referrer and the referred person
        // the same referral id again, for a new person: the event's insert fails after its key was made
        CreateReferral duplicate = CreateReferral.direct(id, api.tenantId, new Advocate("Ghost", "ghost@example.com",
                null, null), new ReferredPerson("Gail", "Host", "gail@example.com", null), null, "API", null);
        // refused by the event store's unique (aggregate, sequence) key: after serialization made Gail's key
        assertThatThrownBy(() -> commands.sendAndWait(duplicate))
                .isInstanceOf(org.axonframework.modelling.command.AggregateStreamCreationException.class)
                .hasMessageContaining("Cannot reuse aggregate identifier");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM person_key WHERE tenant_id = ?", Long.class, api.tenantId))
                .isEqualTo(keys);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM command_lookup WHERE tenant_id = ? AND lookup_key = ?",
                Long.class, api.tenantId, "gail@example.com")).isZero();
        // every committed event with personal data has its key
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry e WHERE e.aggregate_identifier = ? AND NOT EXISTS (
                    SELECT 1 FROM person_key k WHERE k.tenant_id = ?
                        AND position(convert_to('pii:v1:' || k.tenant_id || ':' || k.subject_id || ':', 'UTF8') in e.payload) > 0)""",
                Long.class, id, api.tenantId)).isZero();
    }

    @Test
    void personKeysExportAndImportIntoAnEmptyLedgerOnly() {
        Client api = newTenant();
        api.post("/api/v1/referrals", referralBody("export@example.com"));
        Answer exported = admin().get("/admin/person-keys");
        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.contentType()).startsWith("application/x-ndjson");
        String body = exported.raw().body();
        assertThat(body.lines().filter(l -> l.contains("\"tenantId\":\"" + api.tenantId + "\""))).hasSize(2);
        assertThat(api.get("/admin/person-keys").status()).isEqualTo(401);

        Answer refused = admin().post("/admin/person-keys", body, "Content-Type", "application/x-ndjson");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("PERSON_KEYS_NOT_EMPTY");
        // a ledger's keys are more than 1 MB past about 7,000 people: the import takes the referral import's limit
        Answer large = admin().post("/admin/person-keys", "\n".repeat(1_500_000) + body,
                "Content-Type", "application/x-ndjson");
        assertThat(large.status()).isEqualTo(409);
        Answer broken = admin().post("/admin/person-keys", "{\"tenantId\": \"t\"}\nnot json\n",
                "Content-Type", "application/x-ndjson");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errors()).containsExactly("line 1:INVALID_KEY", "line 2:INVALID_JSON");

        // an empty ledger (emptied here, restored by the import itself) takes the export back as it was
        List<Map<String, Object>> table = keyTable();
        jdbc.update("DELETE FROM person_key");
        Answer imported = admin().post("/admin/person-keys", body, "Content-Type", "application/x-ndjson");
        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        assertThat(imported.json().path("imported").asInt()).isEqualTo(body.lines().count());
        assertThat(keyTable()).hasSameSizeAs(table);
        assertThat(admin().get("/admin/person-keys").raw().body()).isEqualTo(body);
    }

    private List<Map<String, Object>> keyTable() {
        return jdbc.queryForList("SELECT tenant_id, subject_id, encode(key_bytes, 'hex') AS k, created_at, erased_at "
                + "FROM person_key ORDER BY tenant_id, subject_id");
    }

    private List<JsonNode> awaitRewards(Client api, String referral, int count) {
        List<JsonNode> items = List.of();
        for (int i = 0; i < 200; i++) {
            JsonNode page = api.get("/api/v1/rewards?referralId=" + referral).json().path("items");
            items = new java.util.ArrayList<>();
            page.forEach(items::add);
            if (items.size() == count) {
                break;
            }
            sleep();
        }
        assertThat(items).hasSize(count);
        items.sort(java.util.Comparator.comparing(n -> n.path("id").asText()));
        return items.stream().map(n -> {
            // what a reward is worth and who earned it: not its changing status
            return (JsonNode) JSON.createObjectNode().put("id", n.path("id").asText())
                    .put("amount", n.path("amount").decimalValue().stripTrailingZeros().toPlainString())
                    .put("recipientId", n.path("recipientId").asText()).put("side", n.path("side").asText());
        }).toList();
    }

    private static void await(BooleanSupplier done) {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            sleep();
        }
        assertThat(done.getAsBoolean()).isTrue();
    }

    private static void sleep() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
