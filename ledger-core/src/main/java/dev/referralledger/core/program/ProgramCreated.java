package dev.referralledger.core.program;

import java.util.List;

/** PROGRAM_CREATED: a program started, ACTIVE, with its generated campaign token. */
public record ProgramCreated(String programId, String tenantId, String name, String slug, String campaignToken,
                             List<String> allowedChannels, List<String> allowedTypes,
                             List<InvitationType> invitationTypes, int attributionWindowDays,
                             int velocityLimitPerHour, String landingUrl) {
}
