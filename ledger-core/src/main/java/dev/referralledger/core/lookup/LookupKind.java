package dev.referralledger.core.lookup;

/** What a lookup key is. Stored by name: never rename a constant. */
public enum LookupKind {
    /** normalized email → person id */
    PERSON_EMAIL,
    /** E.164 phone → person id */
    PERSON_PHONE,
    /** an external system's id → person id */
    PERSON_EXTERNAL_ID,
    /** program slug → program id */
    PROGRAM_SLUG,
    /** program id → its current terms (JSON in detail) */
    PROGRAM_TERMS,
    /** referral code (upper case) → advocate person id, scope program id, detail enrollment id; never released */
    REFERRAL_CODE,
    /** program id + ":" + person id → enrollment id, detail referral code */
    ENROLLMENT,
    /** impression id → advocate person id, scope program id, detail referral code */
    IMPRESSION,
    /** program id + ":" + referred person id → referral id, until the program's attribution window ends */
    REFERRED_IN_PROGRAM,
    /** public agent slug (tenant "*") → agent id, scope tenant id, detail "published"/"unpublished" */
    AGENT_SLUG,
    /** program id + ":" + advocate id + ":" + invitee identifier → invitation id */
    INVITATION,
    /** program id → its reward policy versions, newest last (JSON in detail) */
    REWARD_POLICY,
    /** person id + ":" + channel (EMAIL, SMS) → person id, detail "granted" or "withdrawn" */
    PERSON_CONSENT,
    /** referral id → referral id, scope program id, detail the advocate's conversion number in the program */
    CONVERSION_COUNTED
}
