package dev.referralledger.api.agent;

import dev.referralledger.api.http.Accepted;
import dev.referralledger.api.http.Written;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.agent.PublishAgentProfile;
import dev.referralledger.core.agent.RegisterAgent;
import dev.referralledger.core.agent.UnpublishAgentProfile;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.agent.AgentPage;
import dev.referralledger.projections.agent.AgentQueries;
import dev.referralledger.projections.agent.AgentView;
import dev.referralledger.projections.agent.FindAgent;
import dev.referralledger.projections.agent.ListAgents;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * Agents (the people referrals are sent to) and their public profile. Writes answer the agent as
 * {@code agent_profile} shows it right after the write, like referral writes do.
 */
@RestController
@RequestMapping("/api/v1/agents")
@Tag(name = "Agents", description = "Register agents and publish or unpublish their public referral form")
public class AgentController {

    private static final int MAX_PAGE = 200;


    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AgentQueries agents;

    public AgentController(CommandGateway commands, QueryGateway queries, AgentQueries agents) {
        this.commands = commands;
        this.queries = queries;
        this.agents = agents;
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "The agent",
            content = @Content(schema = @Schema(implementation = AgentView.class)))
    @ApiResponse(responseCode = "202", description = "Stored, but not shown within the read-your-writes timeout",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    public ResponseEntity<?> register(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                      @RequestBody AgentRequests.Register body) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new RegisterAgent(id, caller.tenantId(), body.name(), body.email(), body.slug(),
                body.published()));
        return written(caller, id, 0, HttpStatus.CREATED);
    }

    @PostMapping("/{id}/publish")
    public ResponseEntity<?> publish(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id) {
        Long version = commands.sendAndWait(new PublishAgentProfile(id, caller.tenantId()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @PostMapping("/{id}/unpublish")
    public ResponseEntity<?> unpublish(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                       @PathVariable String id) {
        Long version = commands.sendAndWait(new UnpublishAgentProfile(id, caller.tenantId()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @GetMapping("/{id}")
    public AgentView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                         @PathVariable String id) {
        return read(caller, id);
    }

    /** Newest first. Pass {@code nextCursor} back as {@code cursor} for the next page. */
    @GetMapping
    public AgentPage list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                          @RequestParam(required = false) Boolean published,
                          @RequestParam(defaultValue = "50") int limit,
                          @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidCommandException.of("limit", "OUT_OF_RANGE", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        Long after = null;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw InvalidCommandException.of("cursor", "INVALID_FORMAT", "cursor must be a nextCursor from a previous page.");
            }
        }
        return queries.query(new ListAgents(caller.tenantId(), published, limit, after), AgentPage.class).join();
    }

    private AgentView read(Caller caller, String id) {
        AgentView view = queries.query(new FindAgent(caller.tenantId(), id),
                ResponseTypes.instanceOf(AgentView.class)).join();
        if (view == null) {
            throw new NotFoundException("Agent", id);
        }
        return view;
    }

    private ResponseEntity<?> written(Caller caller, String id, long version, HttpStatus status) {
        return Written.answer("/api/v1/agents/" + id, id, version, status, () -> agents.awaitVersion(id, version), () -> read(caller, id));
    }

}
