package dev.referralledger.core.program;

public record ProgramPaused(String programId, String tenantId) {
}
