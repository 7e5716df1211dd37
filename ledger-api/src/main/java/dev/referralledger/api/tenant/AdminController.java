package dev.referralledger.api.tenant;

import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.Problems;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.core.rules.FieldRules;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/** The operator API: tenants and their API keys. Guarded by the admin token ({@code LEDGER_ADMIN_TOKEN}). */
@RestController
@RequestMapping("/admin/tenants")
@Tag(name = "Admin", description = "Tenants and API keys (admin token)")
public class AdminController {

    private static final Pattern TENANT_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    public record CreateTenantRequest(String id, String name) {
    }

    public record CreateKeyRequest(String name) {
    }

    /** A new key, with the only copy of its secret. */
    public record IssuedKeyAnswer(String id, String tenantId, String name, String prefix, java.time.Instant createdAt,
                                  String secret) {
    }

    private final TenantDirectory tenants;

    public AdminController(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @PostMapping
    public ResponseEntity<?> createTenant(@RequestBody CreateTenantRequest body, HttpServletRequest request) {
        if (body.name() != null && !FieldRules.storable(body.name())) {
            return ProblemHandler.field(request, "name", "INVALID_CHARACTERS",
                    "name must not contain NUL characters or broken surrogate pairs.");
        }
        String name = body.name() == null ? null : body.name().trim();
        if (name == null || name.isEmpty() || name.length() > 200) {
            return ProblemHandler.field(request, "name", name == null || name.isEmpty() ? "REQUIRED" : "TOO_LONG",
                    "name is required, at most 200 characters.");
        }
        if (body.id() != null && !TENANT_ID.matcher(body.id()).matches()) {
            return ProblemHandler.field(request, "id", "INVALID_ID",
                    "id must be 2 to 63 lower-case letters, digits and dashes.");
        }
        try {
            TenantDirectory.Tenant tenant = tenants.createTenant(body.id(), name);
            return ResponseEntity.created(URI.create("/admin/tenants/" + tenant.id())).body(tenant);
        } catch (DuplicateKeyException e) {
            return ProblemHandler.answer(Problems.of(409, "TENANT_EXISTS", "Tenant exists",
                    "A tenant with id " + body.id() + " exists.", request));
        }
    }

    @GetMapping
    public List<TenantDirectory.Tenant> tenants() {
        return tenants.tenants();
    }

    @GetMapping("/{tenantId}")
    public TenantDirectory.Tenant tenant(@PathVariable String tenantId) {
        return tenants.tenant(tenantId).orElseThrow(() -> new NotFoundException("Tenant", tenantId));
    }

    /** The answer holds {@code secret}: the only time the key is ever shown. */
    @PostMapping("/{tenantId}/api-keys")
    public ResponseEntity<?> issueKey(@PathVariable String tenantId, @RequestBody(required = false) CreateKeyRequest body,
                                      HttpServletRequest request) {
        tenant(tenantId);
        String name = body == null || body.name() == null || body.name().isBlank() ? "default" : body.name().trim();
        if (name.length() > 200 || !FieldRules.storable(name)) {
            return ProblemHandler.field(request, "name", name.length() > 200 ? "TOO_LONG" : "INVALID_CHARACTERS",
                    "name must be at most 200 characters, without NUL characters.");
        }
        TenantDirectory.IssuedKey issued = tenants.issueKey(tenantId, name);
        var key = issued.key();
        return ResponseEntity.created(URI.create("/admin/tenants/" + tenantId + "/api-keys/" + key.id()))
                .body(new IssuedKeyAnswer(key.id(), tenantId, key.name(), key.prefix(), key.createdAt(), issued.secret()));
    }

    @GetMapping("/{tenantId}/api-keys")
    public List<TenantDirectory.ApiKey> keys(@PathVariable String tenantId) {
        tenant(tenantId);
        return tenants.keys(tenantId);
    }

    /** Revokes the key at once: the next request with it answers 401. */
    @DeleteMapping("/{tenantId}/api-keys/{keyId}")
    public ResponseEntity<Void> revoke(@PathVariable String tenantId, @PathVariable String keyId) {
        if (!tenants.revoke(tenantId, keyId)) {
            throw new NotFoundException("API key", keyId);
        }
        return ResponseEntity.noContent().build();
    }
}
