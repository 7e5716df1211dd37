package dev.referralledger.core.person;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The person granted ({@code true}) or withdrew ({@code false}) consent to be contacted on {@code channel}. */
public record RecordConsent(@TargetAggregateIdentifier String personId, String tenantId, String channel, Boolean granted) {
}
