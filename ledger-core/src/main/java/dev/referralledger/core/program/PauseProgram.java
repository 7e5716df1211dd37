package dev.referralledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record PauseProgram(@TargetAggregateIdentifier String programId, String tenantId) {
}
