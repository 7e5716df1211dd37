package dev.referralledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Changes a program's terms; a null field keeps its value. The slug and campaign token never change. */
public record UpdateProgram(@TargetAggregateIdentifier String programId, String tenantId, String name, List<String> allowedChannels,
                            List<String> allowedTypes, List<String> invitationTypes, Integer attributionWindowDays,
                            Integer velocityLimitPerHour, String landingUrl) {
}
