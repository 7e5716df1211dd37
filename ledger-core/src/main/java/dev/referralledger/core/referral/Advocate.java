package dev.referralledger.core.referral;

/**
 * The person who makes the referral (a customer, agent, student ambassador or connector).
 * At least one of email, phone or external id identifies them.
 */
public record Advocate(String name, String email, String phone, String externalId) {
}
