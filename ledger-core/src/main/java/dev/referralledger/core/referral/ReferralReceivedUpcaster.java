package dev.referralledger.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * ReferralReceived revision 1 (stored without a revision) → 2: adds {@code receivedAt}, which revision 1 did not
 * have; a referral was then always received when it was recorded, so it is the time the event was stored.
 */
public class ReferralReceivedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 =
            new SimpleSerializedType(ReferralReceived.class.getName(), null);
    private static final SimpleSerializedType REVISION_2 =
            new SimpleSerializedType(ReferralReceived.class.getName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        String storedAt = representation.getTimestamp().toString();
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.hasNonNull("receivedAt")) {
                event.put("receivedAt", storedAt);
            }
            return payload;
        });
    }
}
