package dev.referralledger.core.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.referralledger.core.lookup.LookupKind;
import dev.referralledger.core.lookup.Lookups;
import dev.referralledger.core.rules.ConflictException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What other commands need to know of a program: whether it is active and what it allows. Kept current in the
 * command side's lookups by every program command, so a referral never races a pause.
 *
 * @param allowedChannels referral channels the program takes; empty means all
 * @param allowedTypes    referral types the program takes; empty means all
 */
public record ProgramTerms(String name, ProgramStatus status, List<String> allowedChannels, List<String> allowedTypes,
                           List<InvitationType> invitationTypes, int attributionWindowDays, int velocityLimitPerHour,
                           String landingUrl) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The terms of a program of this tenant; empty when there is no such program. */
    public static Optional<ProgramTerms> of(Lookups lookups, String tenantId, String programId) {
        return lookups.find(tenantId, LookupKind.PROGRAM_TERMS, programId).map(e -> {
            try {
                return JSON.readValue(e.detail(), ProgramTerms.class);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("unreadable terms of program " + programId, ex);
            }
        });
    }

    public void store(Lookups lookups, String tenantId, String programId) {
        try {
            lookups.put(tenantId, LookupKind.PROGRAM_TERMS, programId, programId, null, JSON.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses with 409 PROGRAM_NOT_ACTIVE unless the program takes new referrals and impressions. */
    public void requireActive(String programId) {
        if (status != ProgramStatus.ACTIVE) {
            throw new ConflictException("PROGRAM_NOT_ACTIVE", "Program " + programId + " is " + status
                    + " and takes no referrals or impressions.", Map.of("programId", programId, "status", status.name()));
        }
    }

    ProgramTerms withStatus(ProgramStatus next) {
        return new ProgramTerms(name, next, allowedChannels, allowedTypes, invitationTypes, attributionWindowDays,
                velocityLimitPerHour, landingUrl);
    }

    /** The advocate's share link: the landing page with their code, or null when the program has none. */
    public String shareLink(String code) {
        if (landingUrl == null) {
            return null;
        }
        return landingUrl + (landingUrl.contains("?") ? "&" : "?") + "ref=" + code;
    }
}
