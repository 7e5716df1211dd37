package dev.referralledger.core.program;

import java.util.List;

/**
 * Starts a referral program (a campaign). Fields arrive as sent and are validated by the aggregate.
 * Null lists allow everything; a null window is 90 days and a null velocity limit 20 referrals an hour.
 */
public record CreateProgram(String programId, String tenantId, String name, String slug, List<String> allowedChannels,
                            List<String> allowedTypes, List<String> invitationTypes, Integer attributionWindowDays,
                            Integer velocityLimitPerHour, String landingUrl) {
}
