package dev.referralledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ResumeProgram(@TargetAggregateIdentifier String programId, String tenantId) {
}
