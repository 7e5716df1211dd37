package dev.referralledger.core.referral;

/** The person being referred, as captured: before any matching to known people. */
public record ReferredPerson(String firstName, String lastName, String email, String phone) {
}
