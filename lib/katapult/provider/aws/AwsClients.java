package katapult.provider.aws;

import java.net.URI;

import katapult.config.InstanceSpec;
import katapult.provider.ProviderException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The SDK clients of one region (and endpoint): describe and tag calls retry throttling with exponential backoff
 * for the config's {@code retry_budget} ({@link AwsRetries});
 * the launch client never retries by itself (the provider decides: capacity errors move on to the next subnet).
 * The endpoint is the config's {@code endpoint} when given, else whatever the SDK finds ({@code AWS_ENDPOINT_URL},
 * the profile's {@code endpoint_url}, the region's endpoint).
 */
final class AwsClients implements AutoCloseable {

    final String region;
    /** The endpoint override, or null for the SDK's choice. */
    final String endpoint;
    final Ec2Client ec2;
    final Ec2Client launcher;
    final IamClient iam;

    private AwsClients(String region, String endpoint, Ec2Client ec2, Ec2Client launcher, IamClient iam) {
        this.region = region;
        this.endpoint = endpoint;
        this.ec2 = ec2;
        this.launcher = launcher;
        this.iam = iam;
    }

    /** @param retrying how describe, tag and IAM calls retry ({@link AwsRetries}) */
    static AwsClients open(String region, String endpoint, AwsCredentialsProvider credentials,
                           RetryStrategy retrying) {
        RetryStrategy once = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build();
        URI uri = endpoint == null ? null : URI.create(endpoint);
        var ec2 = Ec2Client.builder().region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(retrying));
        var launcher = Ec2Client.builder().region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(once));
        var iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(retrying));
        if (uri != null) {
            ec2.endpointOverride(uri);
            launcher.endpointOverride(uri);
            iam.endpointOverride(uri);
        }
        return new AwsClients(region, endpoint, ec2.build(), launcher.build(), iam.build());
    }

    /** The profile's credentials, or the SDK's default chain (environment, system properties, files, SSO, ...). */
    static AwsCredentialsProvider credentials(String profile) {
        return profile != null ? ProfileCredentialsProvider.create(profile) : DefaultCredentialsProvider.builder().build();
    }

    /** Fails with a message that says what to do when no credentials can be found. */
    static void require(AwsCredentialsProvider credentials, String profile) {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException | IllegalStateException | IllegalArgumentException e) {
            String sso = ssoProfile(profile);
            if (sso != null) {
                throw new ProviderException("the AWS SSO session of profile '" + sso + "' has expired or was never"
                        + " started: run `aws sso login --profile " + sso + "`, then try again (" + e.getMessage() + ")");
            }
            throw new ProviderException("no AWS credentials found" + (profile == null ? "" : " for profile '"
                    + profile + "'") + ": run `aws configure`" + (profile == null ? "" : " --profile " + profile)
                    + ", set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile with `profile` in the"
                    + " config (see README, \"AWS\")");
        }
    }

    /** The profile in use ({@code profile}, else AWS_PROFILE or default) when it signs in through SSO, else null. */
    static String ssoProfile(String profile) {
        String name = profile != null ? profile
                : ProfileFileSystemSetting.AWS_PROFILE.getStringValue().orElse("default");
        try {
            return ProfileFile.defaultProfileFile().profile(name)
                    .filter(p -> p.property("sso_session").isPresent() || p.property("sso_start_url").isPresent())
                    .map(p -> name).orElse(null);
        } catch (RuntimeException unreadable) {
            return null;    // the files are unreadable: the generic message says what to set up
        }
    }

    /** The entry's region, else the profile's, else the SDK's (AWS_REGION, ~/.aws/config). */
    static String region(InstanceSpec spec, String profile) {
        if (spec.aws().region() != null) {
            return spec.aws().region();
        }
        try {
            Region region = profile != null ? new AwsProfileRegionProvider(null, profile).getRegion()
                    : DefaultAwsRegionProviderChain.builder().build().getRegion();
            return region.id();
        } catch (SdkClientException | IllegalStateException e) {
            throw new ProviderException("no AWS region for instance '" + spec.name() + "': set `region` in its entry,"
                    + " AWS_REGION, or a region in your AWS profile");
        }
    }

    @Override
    public void close() {
        ec2.close();
        launcher.close();
        iam.close();
    }
}
