package dev.referralledger.core.program;

public record ProgramResumed(String programId, String tenantId) {
}
