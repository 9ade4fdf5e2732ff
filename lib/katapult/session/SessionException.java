package katapult.session;

/** A session cannot go on; the message is for the user and names what to do. */
public class SessionException extends RuntimeException {
    public SessionException(String message) {
        super(message);
    }

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
