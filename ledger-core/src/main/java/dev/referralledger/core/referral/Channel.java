package dev.referralledger.core.referral;

/** How a referral reached the ledger. */
public enum Channel {
    /** The referral form on an agent's public profile. */
    PUBLIC_PROFILE,
    /** The widget embedded on an agent's or business's site. */
    WIDGET,
    /** Logged by a person in a back office. */
    MANUAL,
    /** Bulk-imported from a prior system. */
    IMPORT,
    /** Sent by an integration over the REST API (the default). */
    API
}
