package katapult.session;

/** The project reached its {@code max_cost}: the instances were stopped, the unfinished runs wait. */
public final class CostCapException extends SessionException {
    public CostCapException(String message) {
        super(message);
    }
}
