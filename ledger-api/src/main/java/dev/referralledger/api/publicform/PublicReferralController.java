package dev.referralledger.api.publicform;

import dev.referralledger.api.http.RequestMetadata;
import dev.referralledger.core.agent.AgentSlugs;
import dev.referralledger.core.agent.PublicReferralForm;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The referral form of an agent's public profile and of the widget embedded on their site. No API key: the
 * published slug is the capability. Rate limits, CORS and the 32 KB cap are applied before this runs.
 */
@RestController
@SecurityRequirements
@Tag(name = "Public form", description = "Referrals sent from an agent's public profile or widget, without an API key")
public class PublicReferralController {

    /** What the visitor learns: that it was received, and nothing of the tenant behind the slug. */
    public record Received(String id, String status) {
    }

    /**
     * One body for every slug that takes no referrals, unknown or unpublished: no instance (Spring would fill
     * it in with the path, slug included), no request id (that is in the X-Request-Id header).
     */
    private static final byte[] NOT_FOUND = ("{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,"
            + "\"detail\":\"No such resource.\",\"code\":\"NOT_FOUND\"}").getBytes(StandardCharsets.UTF_8);

    private final CommandGateway commands;
    private final Lookups lookups;
    private final FieldRules rules;

    public PublicReferralController(CommandGateway commands, Lookups lookups, FieldRules rules) {
        this.commands = commands;
        this.lookups = lookups;
        this.rules = rules;
    }

    @PostMapping(PublicFormProperties.PATH_PREFIX + "referral/{agentSlug}")
    @Operation(summary = "Send a referral to the agent behind a published profile slug")
    @ApiResponse(responseCode = "201", description = "Received")
    @ApiResponse(responseCode = "404", description = "No published profile has this slug (the same answer for every such slug)")
    public ResponseEntity<?> submit(@PathVariable String agentSlug, @RequestBody PublicReferralForm form) {
        Optional<AgentSlugs.PublicAgent> agent = AgentSlugs.published(lookups, agentSlug);
        if (agent.isEmpty()) {
            return notFound();
        }
        String id = UUID.randomUUID().toString();
        try {
            // no API key names the tenant here: the slug does, and its events say so like any other's
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(form.toCommand(id, agent.get(), rules))
                    .andMetaData(Map.of(RequestMetadata.TENANT_ID, agent.get().tenantId())));
        } catch (InvalidCommandException e) {
            throw PublicReferralForm.inFormTerms(e);
        }
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(new Received(id, "RECEIVED"));
    }

    static ResponseEntity<byte[]> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(NOT_FOUND);
    }
}
