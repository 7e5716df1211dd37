package dev.referralledger.core.person;

/**
 * PERSON_ERASED: the person's key was destroyed, so their personal data in every event now reads as
 * {@value PersonalData#ERASED}; projections replace it with the marker too. Carries no personal data itself.
 *
 * @param invitationIds   the invitations sent to the person's identifiers, erased with them
 * @param releasedLookups how many of the person's lookup keys (email, phone, external id, invitations to them)
 *                        were released
 */
public record PersonErased(String personId, String tenantId, java.util.List<String> invitationIds,
                           int releasedLookups) {
}
