package dev.referralledger.projections.report;

import dev.referralledger.core.reward.RewardPolicy;

import java.time.Instant;

/**
 * Recompute the conversions recorded in [{@code from}, {@code to}) of one tenant (of one program, by the program
 * the referral converted in, when {@code programId} is given) under another attribution rule and/or another reward
 * policy, and compare with what the ledger did. A null {@code attribution} keeps the ledger's credit, a null
 * {@code policy} the rewards actually issued. Reads the event store; writes nothing.
 */
public record WhatIfReport(String tenantId, Instant from, Instant to, String programId, Attribution attribution,
                           RewardPolicy policy) {

    /** Which of the referrals made for the converted person is credited with the conversion. */
    public enum Attribution {
        /** the earliest referral made for the person, in any program, by any advocate */
        FIRST_TOUCH,
        /** the latest referral made for the person at or before the conversion */
        LAST_TOUCH
    }
}
