package dev.referralledger.api.impression;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.impression.RecordImpression;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.impression.ImpressionQueries;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Impressions (QR scans, link clicks) over REST. The answer does not wait for the read side: an impression is
 * the most frequent write and callers only need its id, to pass on with the signup that may follow.
 */
@RestController
@RequestMapping("/api/v1/impressions")
@Tag(name = "Impressions", description = "Record QR scans and link clicks; referrals that follow name the impression")
public class ImpressionController {

    /**
     * @param clientAddress the visitor's IP address as the caller saw it; hashed before it is stored, never kept.
     *                      When absent, the address of the HTTP client is used.
     */
    record Record(String referralCode, String programId, String advocateId, String source, String placement,
                  String landingUrl, String userAgent, String clientAddress, Instant occurredAt,
                  Map<String, Object> metadata) {
    }

    record Recorded(String id) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final String addressPepper;

    public ImpressionController(CommandGateway commands, QueryGateway queries,
                                @Value("${ledger.address-hash-secret:}") String addressPepper) {
        this.commands = commands;
        this.queries = queries;
        this.addressPepper = addressPepper;
    }

    @PostMapping
    public ResponseEntity<Recorded> record(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                           @RequestBody Record body,
                                           @RequestHeader(value = "User-Agent", required = false) String userAgent,
                                           HttpServletRequest request) {
        String id = UUID.randomUUID().toString();
        String address = body.clientAddress() != null && !body.clientAddress().isBlank()
                ? body.clientAddress().trim() : request.getRemoteAddr();
        commands.sendAndWait(new RecordImpression(id, caller.tenantId(), body.referralCode(), body.programId(),
                body.advocateId(), body.source(), body.placement(), body.landingUrl(),
                body.userAgent(), hash(caller.tenantId(), address), body.occurredAt(), body.metadata()));
        return ResponseEntity.created(URI.create("/api/v1/impressions/" + id)).body(new Recorded(id));
    }

    @GetMapping("/{id}")
    public ImpressionQueries.ImpressionView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                @PathVariable String id) {
        ImpressionQueries.ImpressionView view = queries.query(new ImpressionQueries.FindImpression(caller.tenantId(), id),
                ResponseTypes.instanceOf(ImpressionQueries.ImpressionView.class)).join();
        if (view == null) {
            throw new NotFoundException("Impression", id);
        }
        return view;
    }

    /**
     * SHA-256 of the secret, tenant and address: the same visitor hashes alike within a tenant (repeat scans can be
     * told apart) while the address itself is never stored and cannot be joined across tenants.
     */
    private String hash(String tenantId, String address) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((addressPepper + "\n" + tenantId + "\n" + address).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
