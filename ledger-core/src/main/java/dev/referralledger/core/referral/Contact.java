package dev.referralledger.core.referral;

/** A further person to reach about the referral (e.g. both buyers of a property); at most one is primary. */
public record Contact(String name, String email, String phone, boolean primary) {
}
