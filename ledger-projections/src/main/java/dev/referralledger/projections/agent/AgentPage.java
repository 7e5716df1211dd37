package dev.referralledger.projections.agent;

import java.util.List;

/** @param nextCursor pass it back as {@code cursor} for the next page; null on the last page */
public record AgentPage(List<AgentView> items, String nextCursor) {
}
