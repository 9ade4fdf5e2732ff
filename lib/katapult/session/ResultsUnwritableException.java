package katapult.session;

import java.io.IOException;

/**
 * This machine could not store fetched results (disk full, a file where a folder should be, no permission). The
 * runs stay on their instances: the fetch can go again once the cause is gone.
 */
final class ResultsUnwritableException extends IOException {

    ResultsUnwritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
