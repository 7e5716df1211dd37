package dev.referralledger.api.http;

/**
 * The answer (202) to a write that is stored but not yet shown by the read side within the read-your-writes
 * timeout: the id and the aggregate version to look for. Status is always ACCEPTED.
 */
public record Accepted(String id, long version, String status) {

    public static Accepted of(String id, long version) {
        return new Accepted(id, version, "ACCEPTED");
    }
}
