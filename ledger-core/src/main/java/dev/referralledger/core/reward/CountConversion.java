package dev.referralledger.core.reward;

/** Counts a conversion of an advocate in a program once; answers the advocate's conversion number there (1, 2, ...). */
public record CountConversion(String tenantId, String referralId, String programId, String advocateId) {
}
