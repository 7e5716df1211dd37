package dev.referralledger.core.referral;

import java.util.List;

/**
 * A referral that introduces a seeker to a provider, made by a connector (a pipeline deal). {@code name}
 * defaults to "seeker company → provider company", falling back to the people's names.
 */
public record Introduction(Party seeker, Party provider, Party connector, String name, String description,
                           String productId, List<Facilitator> facilitators) {
}
