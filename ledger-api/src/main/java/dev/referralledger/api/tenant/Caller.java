package dev.referralledger.api.tenant;

/** Who is calling: the tenant every read and write is scoped to, and the API key used. */
public record Caller(String tenantId, String apiKeyId) {

    public static final String ATTRIBUTE = "ledger.caller";
}
