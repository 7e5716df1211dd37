package dev.referralledger.projections.referral;

import java.util.List;

/** @param nextCursor pass it back as {@code cursor} for the next page; null on the last page */
public record ReferralPage(List<ReferralView> items, String nextCursor) {
}
