package dev.referralledger.core.referral;

/** A side of an introduction (seeker, provider) or the connector: a person and the company they work for. */
public record Party(String id, String firstName, String lastName, String email, String company) {

    /** "First Last", or whichever of the two is known; null when neither is. */
    public String personName() {
        if (firstName == null) {
            return lastName;
        }
        return lastName == null ? firstName : firstName + " " + lastName;
    }
}
