package dev.referralledger.core.person;

/**
 * What erasing a person did.
 *
 * @param erasedNow       false when the person had been erased already (nothing changed)
 * @param releasedLookups the lookup keys released by this erasure
 */
public record Erasure(String personId, boolean erasedNow, int releasedLookups) {
}
