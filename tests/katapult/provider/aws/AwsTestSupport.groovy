package katapult.provider.aws

import java.nio.file.Path
import java.time.Duration

import katapult.config.Config
import katapult.config.TempConfig
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider

/** Short waits, static credentials, a fake endpoint: the aws provider as the specs use it. */
class AwsTestSupport {

    static final AwsTiming FAST = new AwsTiming(java.time.Duration.ofMillis(30), java.time.Duration.ofSeconds(20),
            java.time.Duration.ofMillis(1500), java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(40), 8)

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create('AKIDFAKE', 'fake-secret'))

    /** The system properties {@link #useFakeAws} sets, so a spec clears them all and a child JVM gets the same. */
    static final List<String> PROPERTIES = ['aws.endpointUrl', 'aws.accessKeyId', 'aws.secretAccessKey',
                                            'aws.sharedCredentialsFile', 'aws.configFile', 'katapult.home',
                                            'katapult.aws.poll', 'katapult.aws.retryBase', 'katapult.aws.retryMax',
                                            'katapult.aws.notFoundGrace', 'katapult.aws.offline']

    /**
     * The aws provider as the CLI makes it, but fast and offline: no credentials or config file of the user's, the
     * project's key under {@code home}, short waits, no public-address lookup; static credentials unless
     * {@code credentials} is false.
     */
    static void useFakeAws(Path ws, Path home, boolean credentials = true, String notFoundGrace = '1500') {
        if (credentials) {
            System.setProperty('aws.accessKeyId', 'AKIDFAKE')
            System.setProperty('aws.secretAccessKey', 'fake-secret')
        }
        [('aws.sharedCredentialsFile'): ws.resolve('no-credentials').toString(),
         ('aws.configFile')           : ws.resolve('no-config').toString(),
         ('katapult.home')            : home.toString(), ('katapult.aws.poll'): '30', ('katapult.aws.retryBase'): '5',
         ('katapult.aws.retryMax')    : '40', ('katapult.aws.notFoundGrace'): notFoundGrace,
         ('katapult.aws.offline')     : 'true'].each { k, v -> System.setProperty(k, v) }
    }

    static void clearFakeAws() {
        PROPERTIES.each { System.clearProperty(it) }
    }

    /** {@code -Dname=value} for each of {@link #PROPERTIES} that is set, for a child JVM. */
    static List<String> fakeAwsJvmOptions() {
        PROPERTIES.findAll { System.getProperty(it) != null }.collect { "-D${it}=${System.getProperty(it)}".toString() }
    }

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

    /**
     * Runs the session ({@code runAll}, at most {@code runFor}) in a thread; returns once some run is RUNNING, as
     * {@code [thread:, finished:, error:]}. Fails when no run starts within {@code startWithin}.
     */
    static Map runInBackground(Session session, List<Event> events, Duration runFor, Duration startWithin) {
        def result = [finished: null, error: null]
        result.thread = Thread.start {
            try {
                result.finished = session.runAll(runFor)
            } catch (Throwable t) {
                result.error = t
            }
        }
        long deadline = System.currentTimeMillis() + startWithin.toMillis()
        while (!events.any { it instanceof Event.RunChanged && it.run().state() == RunState.RUNNING }) {
            assert System.currentTimeMillis() < deadline: 'no run started'
            Thread.sleep(20)
        }
        result
    }
}
