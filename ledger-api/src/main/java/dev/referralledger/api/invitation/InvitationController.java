package dev.referralledger.api.invitation;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.invitation.InvitationResults;
import dev.referralledger.core.invitation.SendInvitations;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.NotFoundException;
import dev.referralledger.projections.invitation.InvitationQueries;
import dev.referralledger.projections.invitation.InvitationQueries.InvitationPage;
import dev.referralledger.projections.invitation.InvitationView;
import dev.referralledger.projections.program.ProgramQueries;
import dev.referralledger.projections.program.ProgramView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A referrer invites people to a program in bulk. The answer is 200 whenever the batch was judged, even when
 * every invitee failed: each invitee has its own result, and the batch's verdict is in the body. The invitations
 * recorded are read back one by one or as a program's list (the {@code invitation} projection).
 */
@RestController
@Tag(name = "Invitations", description = "A referrer invites people to a program by email or mobile")
public class InvitationController {

    /** The referrer, named by the email or the mobile they are known by (at least one). */
    record InvitingReferrer(String email, String mobile) {
    }

    /** Unknown fields are refused (400 UNKNOWN_FIELD), like everywhere else. */
    record InvitationRequest(InvitingReferrer referrer, List<SendInvitations.Invitee> invitees) {
    }

    private static final int MAX_PAGE = 200;

    private final CommandGateway commands;
    private final QueryGateway queries;

    public InvitationController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @PostMapping("/api/v1/programs/{id}/invitations")
    @ApiResponse(responseCode = "200", description = "The batch was judged: one result per invitee",
            content = @Content(schema = @Schema(implementation = InvitationResults.class)))
    public InvitationResults send(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                  @PathVariable String id, @RequestBody InvitationRequest body) {
        InvitingReferrer referrer = body.referrer() == null ? new InvitingReferrer(null, null) : body.referrer();
        return commands.sendAndWait(new SendInvitations(UUID.randomUUID().toString(), caller.tenantId(), id,
                referrer.email(), referrer.mobile(), body.invitees()));
    }

    /**
     * The program's invitations, newest first; filters combine. Pass {@code nextCursor} back as {@code cursor} for
     * the next page.
     */
    @GetMapping("/api/v1/programs/{id}/invitations")
    public InvitationPage list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                               @PathVariable String id,
                               @RequestParam(required = false) String advocateId,
                               @RequestParam(required = false) String status,
                               @RequestParam(required = false) String batchId,
                               @RequestParam(defaultValue = "50") int limit,
                               @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidCommandException.of("limit", "OUT_OF_RANGE", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        String wanted = status == null ? null : status.trim().toUpperCase(Locale.ROOT);
        if (wanted != null && !wanted.equals("INVITED") && !wanted.equals("ACCEPTED")) {
            throw InvalidCommandException.of("status", "UNKNOWN_STATUS", "status must be INVITED or ACCEPTED.");
        }
        InvitationQueries.Cursor after = cursor == null ? null : InvitationQueries.Cursor.parse(cursor);
        if (cursor != null && after == null) {
            throw InvalidCommandException.of("cursor", "INVALID_FORMAT", "cursor must be a nextCursor from a previous page.");
        }
        // an unknown program (or another tenant's) is 404, as for sending invitations, not an empty list
        if (queries.query(new ProgramQueries.FindProgram(caller.tenantId(), id), ResponseTypes.instanceOf(ProgramView.class))
                .join() == null) {
            throw new NotFoundException("Program", id);
        }
        return queries.query(new InvitationQueries.ListInvitations(caller.tenantId(), id, advocateId, wanted, batchId,
                limit, after), InvitationPage.class).join();
    }

    @GetMapping("/api/v1/invitations/{id}")
    public InvitationView find(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                               @PathVariable String id) {
        InvitationView invitation = queries.query(new InvitationQueries.FindInvitation(caller.tenantId(), id),
                ResponseTypes.instanceOf(InvitationView.class)).join();
        if (invitation == null) {
            throw new NotFoundException("Invitation", id);
        }
        return invitation;
    }
}
