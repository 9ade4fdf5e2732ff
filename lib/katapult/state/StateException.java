package katapult.state;

/** The state of a project cannot be read, written or locked; the message says which file and what to do. */
public class StateException extends RuntimeException {
    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
