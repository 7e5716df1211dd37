package dev.referralledger.api.reward;

import dev.referralledger.api.http.Accepted;
import dev.referralledger.api.http.Written;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.reward.IssueReward;
import dev.referralledger.core.reward.MarkRewardSent;
import dev.referralledger.core.reward.RewardStatus;
import dev.referralledger.core.reward.VoidReward;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.reward.FindReward;
import dev.referralledger.projections.reward.ListRewards;
import dev.referralledger.projections.reward.RewardPage;
import dev.referralledger.projections.reward.RewardQueries;
import dev.referralledger.projections.reward.RewardView;
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

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * Rewards over REST: the queue a person works from ({@code GET /api/v1/rewards?status=READY}), rewards issued by
 * hand, sent with a fulfilment reference, or rejected. Writes answer the reward as {@code reward_queue} shows it
 * right after the write, or 202 when the projection does not show it in time.
 */
@RestController
@RequestMapping("/api/v1/rewards")
@Tag(name = "Rewards", description = "The reward queue: issue, send, void rewards")
public class RewardController {

    private static final int MAX_PAGE = 200;


    private final CommandGateway commands;
    private final QueryGateway queries;
    private final RewardQueries rewards;

    public RewardController(CommandGateway commands, QueryGateway queries, RewardQueries rewards) {
        this.commands = commands;
        this.queries = queries;
        this.rewards = rewards;
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "The reward, HELD until its hold period ends",
            content = @Content(schema = @Schema(implementation = RewardView.class)))
    @ApiResponse(responseCode = "202", description = "Stored, but not shown within the read-your-writes timeout",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    public ResponseEntity<?> issue(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                   @RequestBody RewardRequests.Issue body) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new IssueReward(id, caller.tenantId(), body.referralId(), body.programId(),
                body.advocateId(), body.recipientId(), body.side(), body.type(), body.amount(), body.currency(),
                body.holdDays(), null, null, null, null, body.reason()));
        return written(caller, id, 0, HttpStatus.CREATED);
    }

    /** A READY reward was fulfilled: {@code {"fulfilmentReference": "GC-1234", "thankYouChannel": "EMAIL"}}. */
    @PostMapping("/{id}/sent")
    public ResponseEntity<?> sent(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                  @PathVariable String id, @RequestBody RewardRequests.Sent body) {
        Long version = commands.sendAndWait(new MarkRewardSent(id, caller.tenantId(), body.fulfilmentReference(),
                body.thankYouChannel()));
        return written(caller, id, version, HttpStatus.OK);
    }

    /** A person rejects a reward not sent yet: {@code {"reason": "..."}}. */
    @PostMapping("/{id}/void")
    public ResponseEntity<?> voidReward(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                        @PathVariable String id,
                                        @RequestBody(required = false) RewardRequests.Void body) {
        Long version = commands.sendAndWait(new VoidReward(id, caller.tenantId(), body == null ? null : body.reason()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @GetMapping("/{id}")
    public RewardView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                          @PathVariable String id) {
        return read(caller, id);
    }

    /** The soonest due first. Pass {@code nextOffset} back as {@code offset} for the next page. */
    @GetMapping
    public RewardPage list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                           @RequestParam(required = false) String status,
                           @RequestParam(required = false) String programId,
                           @RequestParam(required = false) String advocateId,
                           @RequestParam(required = false) String referralId,
                           @RequestParam(defaultValue = "50") int limit,
                           @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidCommandException.of("limit", "OUT_OF_RANGE", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        if (offset < 0) {
            throw InvalidCommandException.of("offset", "OUT_OF_RANGE", "offset must be at least 0.");
        }
        String wanted = status == null ? null : status.trim().toUpperCase(Locale.ROOT);
        if (wanted != null && Arrays.stream(RewardStatus.values()).noneMatch(s -> s.name().equals(wanted))) {
            throw InvalidCommandException.of("status", "UNKNOWN_STATUS", "status must be one of " + Arrays.toString(RewardStatus.values()) + ".");
        }
        return queries.query(new ListRewards(caller.tenantId(), wanted, programId, advocateId, referralId, limit, offset),
                RewardPage.class).join();
    }

    private RewardView read(Caller caller, String id) {
        RewardView view = queries.query(new FindReward(caller.tenantId(), id),
                ResponseTypes.instanceOf(RewardView.class)).join();
        if (view == null) {
            throw new NotFoundException("Reward", id);
        }
        return view;
    }

    private ResponseEntity<?> written(Caller caller, String id, long version, HttpStatus status) {
        return Written.answer("/api/v1/rewards/" + id, id, version, status, () -> rewards.awaitVersion(id, version), () -> read(caller, id));
    }

}
