package dev.referralledger.core.program;

/** Who the advocate is to the business. */
public enum AdvocateRole {
    CUSTOMER, AGENT, STUDENT_AMBASSADOR, CONNECTOR
}
