package dev.referralledger.core.referral;

/**
 * Someone who helped an introduction happen: the connector, or a referral source, on the seeker's or the
 * provider's side.
 *
 * @param role CONNECTOR or REFERRAL_SOURCE
 * @param side SEEKER or PROVIDER
 */
public record Facilitator(String id, String name, String company, String role, String side) {
}
