package dev.referralledger.core.program;

import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An advocate's enrollment in a program: who they are and the referral code they share. Created by
 * {@link Enrollments}, which first finds an existing enrollment of the same person.
 */
@Aggregate
public class Enrollment {

    @AggregateIdentifier
    private String enrollmentId;

    protected Enrollment() {
        // for event sourcing
    }

    Enrollment(AdvocateEnrolled enrolled) {
        apply(enrolled);
    }

    @EventSourcingHandler
    void on(AdvocateEnrolled e) {
        enrollmentId = e.enrollmentId();
    }
}
