package dev.referralledger.core.program;

/** How an invitee is reached: the identifier is an email address or a mobile number. */
public enum InvitationType {
    EMAIL, MOBILE
}
