package dev.referralledger.api.invitation;

import dev.referralledger.api.tenant.Caller;
import dev.referralledger.core.invitation.InvitationResults;
import dev.referralledger.core.invitation.SendInvitations;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * A referrer invites people to a program in bulk. The answer is 200 whenever the batch was judged, even when
 * every invitee failed: each invitee has its own result, and the batch's verdict is in the body.
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

    private final CommandGateway commands;

    public InvitationController(CommandGateway commands) {
        this.commands = commands;
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
}
