package dev.referralledger.projections.history;

import java.util.List;

/** The answer to {@link AggregateHistory}: empty when the tenant has no such aggregate. */
public record RecordedEventList(List<RecordedEvent> events) {
}
