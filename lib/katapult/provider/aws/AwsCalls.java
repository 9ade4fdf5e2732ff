package katapult.provider.aws;

import java.time.Duration;
import java.util.Locale;

import katapult.provider.ProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Plumbing shared by the aws provider's parts: what an AWS error says, and a pause between two tries. */
final class AwsCalls {

    private AwsCalls() {
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        // a throttling error gets here only once the whole retry_budget was spent backing off
        return e.isThrottlingException() ? message + " (AWS kept throttling for the whole retry_budget: try again in a"
                + " few minutes, or raise retry_budget in the config)" : message;
    }

    /** A duration as a person writes it: 90s, 5m, 1h30m. */
    static String shown(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        }
    }
}
