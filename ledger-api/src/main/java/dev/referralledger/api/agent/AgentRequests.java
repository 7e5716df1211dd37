package dev.referralledger.api.agent;

/** The JSON bodies of the agent endpoints. Unknown fields are refused (400 UNKNOWN_FIELD). */
final class AgentRequests {

    private AgentRequests() {
    }

    /** @param published whether the public form takes referrals for the slug right away (default false) */
    record Register(String name, String email, String slug, Boolean published) {
    }
}
