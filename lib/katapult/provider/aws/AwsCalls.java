package katapult.provider.aws;

import java.time.Duration;

import katapult.provider.ProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** Plumbing shared by the aws provider's parts: what an AWS error says, and a pause between two tries. */
final class AwsCalls {

    private AwsCalls() {
    }

    static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
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
