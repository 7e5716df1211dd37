package dev.referralledger.core.person;

/** How a person may be contacted (thanked for a reward). Stored by name: never rename a constant. */
public enum ConsentChannel {
    EMAIL, SMS
}
