package dev.referralledger.core.person;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Erases a person's personal data (GDPR art. 17); answers an {@link Erasure}. */
public record ErasePerson(@TargetAggregateIdentifier String personId, String tenantId) {
}
