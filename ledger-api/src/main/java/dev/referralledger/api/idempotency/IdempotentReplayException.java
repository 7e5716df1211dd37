package dev.referralledger.api.idempotency;

/** The same request was already served under this key: answer its response again, change nothing. */
public class IdempotentReplayException extends RuntimeException {

    private final String tenantId;
    private final String key;

    public IdempotentReplayException(String tenantId, String key) {
        super("replay of idempotency key " + key, null, false, false);
        this.tenantId = tenantId;
        this.key = key;
    }

    public String tenantId() {
        return tenantId;
    }

    public String key() {
        return key;
    }
}
