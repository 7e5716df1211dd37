package dev.referralledger.core.rules;

/** The requested move is not allowed from the current state; nothing was emitted. */
public class InvalidTransitionException extends LedgerRuleException {

    private final String currentState;
    private final String requestedState;

    public InvalidTransitionException(String currentState, String requestedState) {
        super("INVALID_TRANSITION", "Cannot move from " + currentState + " to " + requestedState);
        this.currentState = currentState;
        this.requestedState = requestedState;
    }

    public String currentState() {
        return currentState;
    }

    public String requestedState() {
        return requestedState;
    }
}
