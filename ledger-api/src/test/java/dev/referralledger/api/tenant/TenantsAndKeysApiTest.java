package dev.referralledger.api.tenant;

import dev.referralledger.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantsAndKeysApiTest extends ApiTestSupport {

    @Test
    void missingUnknownAndRevokedKeysAre401() {
        assertUnauthorized(anonymous().get("/api/v1/referrals"));
        assertUnauthorized(as("rl_not-a-real-key").get("/api/v1/referrals"));
        assertUnauthorized(as("something-else").post("/api/v1/referrals", referralBody("a@b.co")));

        Client api = newTenant();
        assertThat(api.get("/api/v1/referrals").status()).isEqualTo(200);
        String keyId = admin().get("/admin/tenants/" + api.tenantId + "/api-keys").json().get(0).path("id").asText();
        assertThat(admin().delete("/admin/tenants/" + api.tenantId + "/api-keys/" + keyId).status()).isEqualTo(204);
        assertUnauthorized(api.get("/api/v1/referrals"));
    }

    @Test
    void keysAreShownOnceAndStoredOnlyAsHashes() {
        Client api = newTenant();
        var keys = admin().get("/admin/tenants/" + api.tenantId + "/api-keys").json();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).has("secret")).isFalse();
        assertThat(keys.get(0).path("prefix").asText()).startsWith("rl_");
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        assertUnauthorized(anonymous().get("/admin/tenants"));
        assertUnauthorized(newTenant().get("/admin/tenants"));
        assertThat(admin().get("/admin/tenants").status()).isEqualTo(200);
    }

    @Test
    void tenantInputIsValidated() {
        assertThat(admin().post("/admin/tenants", "{\"name\":\"\"}").errors()).containsExactly("name:REQUIRED");
        assertThat(admin().post("/admin/tenants", "{\"id\":\"Bad Id!\",\"name\":\"x\"}").errors()).containsExactly("id:INVALID_ID");
        Client api = newTenant();
        Answer again = admin().post("/admin/tenants", "{\"id\":\"" + api.tenantId + "\",\"name\":\"x\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("TENANT_EXISTS");
        assertThat(admin().post("/admin/tenants/no-such-tenant/api-keys", "{}").status()).isEqualTo(404);
        assertThat(admin().post("/admin/tenants", "{\"name\":\"a\\u0000b\"}").errors()).containsExactly("name:INVALID_CHARACTERS");
    }

    @Test
    void aTenantNeverSeesOrChangesAnotherTenantsReferral() {
        Client a = newTenant();
        Client b = newTenant();
        String id = a.post("/api/v1/referrals", referralBody("sam@example.com")).json().path("id").asText();
        Answer unknown = b.get("/api/v1/referrals/" + java.util.UUID.randomUUID());
        Answer foreign = b.get("/api/v1/referrals/" + id);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("code")).isEqualTo(unknown.json().path("code"));
        assertThat(foreign.json().path("detail")).isEqualTo(unknown.json().path("detail"));
        assertThat(b.post("/api/v1/referrals/" + id + "/contact", null).status()).isEqualTo(404);
        assertThat(b.post("/api/v1/referrals/" + id + "/convert", "{\"resultingDealId\":\"x\"}").status()).isEqualTo(404);
        assertThat(b.get("/api/v1/referrals/" + id + "/events").status()).isEqualTo(404);
        assertThat(b.get("/api/v1/referrals").json().path("items")).isEmpty();
        assertThat(a.get("/api/v1/referrals/" + id).json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(a.get("/api/v1/referrals/" + id + "/events").json().path("events")).hasSize(1);
    }

    private static void assertUnauthorized(Answer answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
}
