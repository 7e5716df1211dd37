package dev.referralledger.core.person;

/** CONSENT_RECORDED: the person's consent on {@code channel} is now {@code granted}. */
public record ConsentRecorded(String personId, String tenantId, ConsentChannel channel, boolean granted) {
}
