package dev.referralledger.core.invitation;

/**
 * What happened to one invitee. The numeric codes are the ones referral platforms answer for invitations
 * (1000 invited, 1701, 1206, 1012): callers branch on them, so they never change.
 */
public enum InvitationOutcome {
    INVITED(1000, true, "Invited"),
    /** The advocate had invited this identifier in the program before: the first invitation stands. */
    ALREADY_INVITED(1000, true, "Already invited"),
    INVALID_IDENTIFIER(1701, false, "Invalid identifier for the type"),
    TYPE_NOT_SUPPORTED(1206, false, "Invitation type is not supported by the program"),
    REFERRER_NOT_FOUND(1012, false, "Cannot find an advocate of this program with the referrer's email or mobile");

    private final int code;
    private final boolean success;
    private final String message;

    InvitationOutcome(int code, boolean success, String message) {
        this.code = code;
        this.success = success;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public boolean success() {
        return success;
    }

    public String message() {
        return message;
    }
}
