package dev.referralledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends a program for good: codes stay reserved, nothing new is accepted. */
public record EndProgram(@TargetAggregateIdentifier String programId, String tenantId) {
}
