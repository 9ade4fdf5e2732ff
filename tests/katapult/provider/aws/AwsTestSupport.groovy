package katapult.provider.aws

import java.nio.file.Path

import katapult.config.Config
import katapult.config.TempConfig
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider

/** Short waits, static credentials, a fake endpoint: the aws provider as the specs use it. */
class AwsTestSupport {

    static final AwsTiming FAST = new AwsTiming(java.time.Duration.ofMillis(30), java.time.Duration.ofSeconds(20),
            java.time.Duration.ofMillis(1500), java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(40), 8)

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create('AKIDFAKE', 'fake-secret'))

    /** A config of the aws provider against the fake; {@code instance} is the body of one instance block. */
    static Config config(Path dir, FakeEc2 fake, String instance, String project = 'proj') {
        new TempConfig(dir).load("""
            katapult {
                project '${project}'
                provider 'aws'
                instance {
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    ${instance}
                }
                job { runCommand 'true' }
            }""".stripIndent())
    }

    static AwsProvider provider(Config config, Path stateDir, SshConnector ssh = SshConnector.UNAVAILABLE) {
        new AwsProvider(config, stateDir, FAST, CREDENTIALS, ssh,
                { throw new IllegalStateException('no public address lookup in tests') })
    }
}
