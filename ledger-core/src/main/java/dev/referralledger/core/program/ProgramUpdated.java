package dev.referralledger.core.program;

import java.util.List;

/** PROGRAM_UPDATED: the program's terms as they are from now on (all of them, not only what changed). */
public record ProgramUpdated(String programId, String tenantId, String name, List<String> allowedChannels,
                             List<String> allowedTypes, List<InvitationType> invitationTypes,
                             int attributionWindowDays, int velocityLimitPerHour, String landingUrl) {
}
