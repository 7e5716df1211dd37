package dev.referralledger.api.referral;

import dev.referralledger.api.http.AsOf;
import dev.referralledger.api.http.ProblemHandler;
import dev.referralledger.api.http.Problems;
import dev.referralledger.api.http.RequestMetadata;
import dev.referralledger.api.idempotency.IdempotencyKeys;
import dev.referralledger.api.http.Accepted;
import dev.referralledger.api.http.Written;
import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.referral.ContactReferral;
import dev.referralledger.core.referral.CreateReferral;
import dev.referralledger.core.referral.MarkConverted;
import dev.referralledger.core.referral.MarkLost;
import dev.referralledger.core.referral.QualifyReferral;
import dev.referralledger.core.referral.ReverseConversion;
import dev.referralledger.core.referral.ReviewReferral;
import dev.referralledger.core.rules.FieldRules;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.history.AggregateHistory;
import dev.referralledger.projections.history.RecordedEventList;
import dev.referralledger.projections.referral.FindReferral;
import dev.referralledger.projections.referral.FindReferralAsOf;
import dev.referralledger.projections.referral.ReferralAsOf;
import dev.referralledger.projections.referral.ListReferrals;
import dev.referralledger.projections.referral.ReferralPage;
import dev.referralledger.projections.referral.ReferralQueries;
import dev.referralledger.projections.referral.ReferralView;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Referrals over REST: each write is one command, each read one query. Writes answer the referral as the
 * pipeline shows it right after the write (the query waits for the projection to apply it).
 */
@RestController
@RequestMapping("/api/v1/referrals")
@Tag(name = "Referrals", description = "Create referrals, move them through the pipeline, read their history")
public class ReferralController {

    private static final int MAX_PAGE = 200;


    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ReferralQueries pipeline;

    public ReferralController(CommandGateway commands, QueryGateway queries, ReferralQueries pipeline) {
        this.commands = commands;
        this.queries = queries;
        this.pipeline = pipeline;
    }

    /**
     * Records a referral and answers it as the pipeline shows it (201). With {@code Prefer: respond-async} it
     * answers 202 as soon as the referral is stored, without waiting for the pipeline projection: for
     * high-volume webhooks that do not read the referral back.
     */
    @PostMapping
    @ApiResponse(responseCode = "201", description = "The referral as the pipeline shows it",
            content = @Content(schema = @Schema(implementation = ReferralView.class)))
    @ApiResponse(responseCode = "202", description = "Stored; asked not to wait (Prefer: respond-async), or the "
            + "pipeline did not show it within the read-your-writes timeout",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    public ResponseEntity<?> create(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                    @RequestBody ReferralRequests.Create body,
                                    @RequestHeader(value = "Prefer", required = false) String prefer,
                                    HttpServletRequest request) {
        if (body.idempotencyKey() != null) {
            String key = body.idempotencyKey();
            int max = IdempotencyKeys.MAX_KEY;
            if (key.isBlank() || key.length() > max || !FieldRules.storable(key)) {
                throw InvalidCommandException.of("idempotencyKey", key.isBlank() ? "REQUIRED" : key.length() > max ? "TOO_LONG" : "INVALID_CHARACTERS",
                        "idempotencyKey must be 1 to " + max + " characters, without NUL characters.");
            }
            request.setAttribute(RequestMetadata.BODY_IDEMPOTENCY_KEY, body.idempotencyKey());
        }
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateReferral(id, caller.tenantId(), body.referrer(), body.referred(), body.contacts(),
                body.agentId(), body.channel(), body.type(), body.notes(), body.expectedValue(), body.currency(),
                body.metadata(), body.programId(), body.referralCode(), body.impressionId(), body.introduction(),
                body.receivedAt()));
        boolean async = prefer != null && prefer.contains("respond-async");
        return written(caller, id, 0, async ? null : HttpStatus.CREATED);
    }

    @PostMapping("/{id}/contact")
    @MoveResponses
    public ResponseEntity<?> contact(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id, @RequestBody(required = false) ReferralRequests.Note body) {
        Long version = commands.sendAndWait(new ContactReferral(id, caller.tenantId(), body == null ? null : body.note()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @PostMapping("/{id}/qualify")
    @MoveResponses
    public ResponseEntity<?> qualify(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id, @RequestBody(required = false) ReferralRequests.Note body) {
        Long version = commands.sendAndWait(new QualifyReferral(id, caller.tenantId(), body == null ? null : body.note()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @PostMapping("/{id}/convert")
    @MoveResponses
    public ResponseEntity<?> convert(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id, @RequestBody ReferralRequests.Convert body) {
        Long version = commands.sendAndWait(new MarkConverted(id, caller.tenantId(), body.resultingDealId(),
                body.dealValue(), body.currency(), body.closedAt()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @PostMapping("/{id}/lose")
    @MoveResponses
    public ResponseEntity<?> lose(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                  @PathVariable String id, @RequestBody(required = false) ReferralRequests.Lose body) {
        Long version = commands.sendAndWait(new MarkLost(id, caller.tenantId(), body == null ? null : body.reason()));
        return written(caller, id, version, HttpStatus.OK);
    }

    /**
     * The converted deal was refunded, cancelled or charged back: {@code {"kind": "REFUND", "amount": 250,
     * "currency": "USD", "reason": "...", "reversedAt": "..."}}; without {@code amount}, whatever is left of it.
     */
    @PostMapping("/{id}/reverse")
    @MoveResponses
    public ResponseEntity<?> reverse(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id, @RequestBody(required = false) ReferralRequests.Reverse body) {
        ReferralRequests.Reverse r = body == null ? new ReferralRequests.Reverse(null, null, null, null, null) : body;
        Long version = commands.sendAndWait(new ReverseConversion(id, caller.tenantId(), r.kind(), r.amount(),
                r.currency(), r.reason(), r.reversedAt()));
        return written(caller, id, version, HttpStatus.OK);
    }

    /** A person's decision on a referral flagged REVIEW: {@code {"decision": "APPROVE" | "REJECT", "note": "..."}}. */
    @PostMapping("/{id}/review")
    @MoveResponses
    public ResponseEntity<?> review(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                    @PathVariable String id, @RequestBody ReferralRequests.Review body) {
        Long version = commands.sendAndWait(new ReviewReferral(id, caller.tenantId(), body.decision(), body.note()));
        return written(caller, id, version, HttpStatus.OK);
    }

    @GetMapping("/{id}")
    public ReferralView get(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                            @PathVariable String id) {
        return read(caller, id);
    }

    /**
     * The referral as it was at {@code asOf} (an ISO-8601 instant), rebuilt from its events recorded at or before
     * it, in the shape of the plain GET. A future instant means now. 404 {@code REFERRAL_NOT_YET_RECEIVED} when the
     * referral was received after {@code asOf}.
     */
    @GetMapping(value = "/{id}", params = "asOf")
    @ApiResponse(responseCode = "200", description = "The referral as it was then",
            content = @Content(schema = @Schema(implementation = ReferralView.class)))
    public ResponseEntity<?> getAsOf(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @PathVariable String id, @RequestParam String asOf, HttpServletRequest request) {
        Instant at = AsOf.parse(asOf);
        ReferralAsOf answer = queries.query(new FindReferralAsOf(caller.tenantId(), id, at),
                ResponseTypes.instanceOf(ReferralAsOf.class)).join();
        if (answer == null) {
            throw new NotFoundException("Referral", id);
        }
        if (answer.referral() == null) {
            ProblemDetail problem = Problems.of(404, "REFERRAL_NOT_YET_RECEIVED", "Not yet received",
                    "Referral " + id + " was received after " + at + ".", request);
            problem.setProperty("receivedAt", answer.receivedAt().toString());
            return ProblemHandler.answer(problem);
        }
        return ResponseEntity.ok(answer.referral());
    }

    /** Newest first. Pass {@code nextCursor} back as {@code cursor} for the next page. */
    @GetMapping
    public ReferralPage list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                             @RequestParam(required = false) String status,
                             @RequestParam(required = false) String agentId,
                             @RequestParam(required = false) String channel,
                             @RequestParam(required = false) String referrerEmail,
                             @RequestParam(required = false) Instant createdFrom,
                             @RequestParam(required = false) Instant createdTo,
                             @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(required = false) String cursor,
                             @RequestParam(required = false) String programId,
                             @RequestParam(required = false) String advocateId,
                             @RequestParam(required = false) String flag) {
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
        return queries.query(new ListReferrals(caller.tenantId(), upper(status), agentId, upper(channel),
                referrerEmail == null ? null : referrerEmail.trim().toLowerCase(Locale.ROOT), createdFrom, createdTo,
                limit, after, programId, advocateId, upper(flag)), ReferralPage.class).join();
    }

    /** The referral's events in order: type, sequence number, global position, timestamp, payload, metadata. */
    @GetMapping("/{id}/events")
    public RecordedEventList events(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                    @PathVariable String id) {
        RecordedEventList history = queries.query(new AggregateHistory(caller.tenantId(), id), RecordedEventList.class).join();
        if (history.events().isEmpty()) {
            throw new NotFoundException("Referral", id);
        }
        return history;
    }

    private ReferralView read(Caller caller, String id) {
        ReferralView view = queries.query(new FindReferral(caller.tenantId(), id),
                ResponseTypes.instanceOf(ReferralView.class)).join();
        if (view == null) {
            throw new NotFoundException("Referral", id);
        }
        return view;
    }

    private ResponseEntity<?> written(Caller caller, String id, long version, HttpStatus status) {
        return Written.answer("/api/v1/referrals/" + id, id, version, status, () -> pipeline.awaitVersion(id, version), () -> read(caller, id));
    }

    private static String upper(String value) {
        return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    }

}
