package dev.referralledger.api.http;

import dev.referralledger.api.tenant.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stamps every command sent while serving an HTTP request with who sent it. The same keys are copied onto
 * every event the command causes, so each event says which tenant, API key and request it came from.
 */
@Component
public class RequestMetadata implements MessageDispatchInterceptor<CommandMessage<?>> {

    public static final String TENANT_ID = "tenantId";
    public static final String API_KEY_ID = "apiKeyId";
    public static final String REQUEST_ID = "requestId";
    public static final String CORRELATION_ID = "correlationId";
    /** Copied from command to event metadata. */
    public static final String[] KEYS = {TENANT_ID, API_KEY_ID, REQUEST_ID, CORRELATION_ID};

    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String REQUEST_FINGERPRINT = "requestFingerprint";
    /**
     * The response body (JSON) of a command whose answer is known before it runs, such as an imported item
     * whose id the caller chose: stored with its idempotency key, in the same transaction.
     */
    public static final String IDEMPOTENCY_RESPONSE = "idempotencyResponse";

    private static final String KEY_STAMPED = RequestMetadata.class.getName() + ".keyStamped";

    /** Request attribute: an idempotency key sent in the body rather than the header. */
    public static final String BODY_IDEMPOTENCY_KEY = RequestMetadata.class.getName() + ".bodyKey";

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
                return command;
            }
            HttpServletRequest request = attributes.getRequest();
            Map<String, Object> stamp = new HashMap<>();
            if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) {
                stamp.put(TENANT_ID, caller.tenantId());
                stamp.put(API_KEY_ID, caller.apiKeyId());
            }
            putIfPresent(stamp, REQUEST_ID, request.getAttribute(RequestIds.REQUEST_ID));
            putIfPresent(stamp, CORRELATION_ID, request.getAttribute(RequestIds.CORRELATION_ID));
            Object key = request.getHeader("Idempotency-Key");
            if (key == null) {
                key = request.getAttribute(BODY_IDEMPOTENCY_KEY);
            }
            // one key spends one command: the first a request sends; a command that brings a key of its own
            // (an imported item) keeps it
            if (key != null && !command.getMetaData().containsKey(IDEMPOTENCY_KEY) && request.getAttribute(KEY_STAMPED) == null
                    && request.getAttribute(RequestBody.ATTRIBUTE) instanceof RequestBody body) {
                request.setAttribute(KEY_STAMPED, Boolean.TRUE);
                stamp.put(IDEMPOTENCY_KEY, key.toString());
                stamp.put(REQUEST_FINGERPRINT, body.fingerprint());
            }
            return command.andMetaData(stamp);
        };
    }

    private static void putIfPresent(Map<String, Object> stamp, String key, Object value) {
        if (value != null) {
            stamp.put(key, value.toString());
        }
    }
}
