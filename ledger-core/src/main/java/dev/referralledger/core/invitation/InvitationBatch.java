package dev.referralledger.core.invitation;

import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The invitations one advocate sent in one request. Created by {@link Invitations} only when at least one
 * invitee is new: an Axon constructor handler must apply an event, and a batch of failures records nothing.
 * What links a later referral to an invitation is the INVITATION lookup claimed with it.
 */
@Aggregate
public class InvitationBatch {

    @AggregateIdentifier
    private String batchId;

    protected InvitationBatch() {
        // for event sourcing
    }

    InvitationBatch(InvitationsSent sent) {
        apply(sent);
    }

    @EventSourcingHandler
    void on(InvitationsSent e) {
        batchId = e.batchId();
    }
}
