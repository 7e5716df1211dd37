package dev.referralledger.api.projection;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * The stored positions (tracking tokens) of event processors, read and set for a processor that is stopped:
 * after a rebuild, for a verification, after an import. Joins the caller's transaction when there is one.
 */
@Component
public class ProcessorPositions {

    private final TokenStore tokens;
    private final TransactionManager transactions;

    public ProcessorPositions(TokenStore tokens, TransactionManager transactions) {
        this.tokens = tokens;
        this.transactions = transactions;
    }

    /** Every segment of the processor continues after {@code token} (null: from the first event). */
    public void moveTo(String processor, TrackingToken token) {
        transactions.executeInTransaction(() -> {
            int[] segments = tokens.fetchSegments(processor);
            if (segments.length == 0) {
                tokens.initializeTokenSegments(processor, 1, token);
                return;
            }
            for (int segment : segments) {
                tokens.fetchToken(processor, segment); // claims it for this node
                tokens.storeToken(token, processor, segment);
                tokens.releaseClaim(processor, segment);
            }
        });
    }

    /** The processor's position per segment. */
    public Map<Integer, TrackingToken> of(String processor) {
        Map<Integer, TrackingToken> positions = new HashMap<>();
        transactions.executeInTransaction(() -> {
            for (int segment : tokens.fetchSegments(processor)) {
                positions.put(segment, tokens.fetchToken(processor, segment));
                tokens.releaseClaim(processor, segment);
            }
        });
        return positions;
    }

    /** The segments of the processor's stored positions (none before it first ran). */
    public int[] segments(String processor) {
        return tokens.fetchSegments(processor);
    }
}
