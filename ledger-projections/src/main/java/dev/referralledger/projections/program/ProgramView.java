package dev.referralledger.projections.program;

import java.time.Instant;
import java.util.List;

/** A program as the {@code program} table shows it. */
public record ProgramView(String id, String name, String slug, String campaignToken, String status,
                          List<String> allowedChannels, List<String> allowedTypes, List<String> invitationTypes,
                          int attributionWindowDays, int velocityLimitPerHour, String landingUrl, Instant createdAt,
                          Instant updatedAt, long version) {
}
