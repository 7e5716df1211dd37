package dev.referralledger.api.tenant;

/**
 * Who is calling: the tenant every read and write is scoped to, and the API key used (null for the public
 * capture form, where the published agent slug is the capability).
 */
public record Caller(String tenantId, String apiKeyId) {

    public static final String ATTRIBUTE = "ledger.caller";
}
