package dev.referralledger.core.program;

public record ProgramEnded(String programId, String tenantId) {
}
