package dev.referralledger.projections.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One stored event exactly as the ledger holds it.
 *
 * @param type           the event's name, e.g. {@code ReferralReceived}
 * @param sequenceNumber its place in its aggregate's history, from 0
 * @param globalPosition its place in the whole ledger
 * @param payload        the stored payload
 * @param metadata       who caused it: tenantId, apiKeyId, correlationId, requestId
 */
public record RecordedEvent(String eventId, String type, long sequenceNumber, long globalPosition, Instant timestamp,
                            String revision, JsonNode payload, JsonNode metadata) {
}
