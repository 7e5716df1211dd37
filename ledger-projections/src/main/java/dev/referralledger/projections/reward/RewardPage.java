package dev.referralledger.projections.reward;

import java.util.List;

/** @param nextOffset pass it back as {@code offset} for the next page; null on the last page */
public record RewardPage(List<RewardView> items, Integer nextOffset) {
}
