package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.LeftoverProcesses
import katapult.cli.Main
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The CLI with provider 'aws' against the fake endpoint, reached the way a user would point Katapult at a compatible
 * cloud: the SDK's own endpoint setting (aws.endpointUrl, the system-property twin of AWS_ENDPOINT_URL) or the
 * config's {@code endpoint}; credentials through the SDK's own chain (aws.accessKeyId / aws.secretAccessKey).
 */
@Timeout(90)
@Tag('e2e')
class AwsCliSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    /** Shared: generating the project's RSA key once is enough. */
    @Shared
    @TempDir
    Path home

    record Outcome(int code, String out, String err) { }

    def setup() {
        AwsTestSupport.useFakeAws(ws, home, false, '1000')
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    void credentials() {
        System.setProperty('aws.accessKeyId', 'AKIDFAKE')
        System.setProperty('aws.secretAccessKey', 'fake-secret')
    }

    Outcome katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        new Outcome(code, out.toString(), err.toString())
    }

    def "the aws example passes check"() {
        expect:
        katapult('check', 'examples/aws.groovy').code() == 0
    }

    def "the unattended example (maestro 'remote') passes check without a warning, and plan lists its workers"() {
        given:
        credentials()
        System.setProperty('aws.endpointUrl', fake.endpoint)

        when:
        def check = katapult('check', 'examples/unattended.groovy')
        def plan = katapult('plan', '-C', ws.toString(), 'examples/unattended.groovy')

        then:
        check.code() == 0
        !check.err().contains('warning')
        !check.out().contains('warning')
        plan.code() == 0
        plan.out().contains('worker-1')
        plan.out().contains('worker-2')
        plan.out().contains('t3.large')
        fake.count('RunInstances') == 0
    }

    def "plan lists the example's instances with their spot price and the total per hour"() {
        given:
        credentials()
        System.setProperty('aws.endpointUrl', fake.endpoint)

        when:
        def result = katapult('plan', '-C', ws.toString(), 'examples/aws.groovy')

        then:
        result.code() == 0
        result.out().contains('worker-1')
        result.out().contains('worker-2')
        result.out().contains('c5.4xlarge')
        result.out().contains('$0.2950')
        result.out().contains('total: $0.5900/hour')
        fake.count('RunInstances') == 0
        fake.count('DescribeSpotPriceHistory') == 1
    }

    def "plan --json gives the same as JSON, on-demand prices from the price list API"() {
        given:
        credentials()
        Path config = ws.resolve('od.groovy')
        Files.writeString(config, """katapult { project 'od'; provider 'aws'
            instance { region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.large'; number 2 }
            instance { name 'cheap'; region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.micro'; eco true }
            job { runCommand 'true' } }""")

        when:
        def result = katapult('plan', '--json', '-C', ws.toString(), config.toString())
        def json = new ObjectMapper().readValue(result.out(), Map)

        then:
        result.code() == 0
        json.instances*.name == ['aws-1-1', 'aws-1-2', 'cheap']
        json.instances*.hourly == [0.0832d, 0.0832d, 0.0031d]
        json.instances*.market == ['on-demand', 'on-demand', 'spot']
        json.instances*.note == (['price list API ' + java.time.LocalDate.now(java.time.ZoneOffset.UTC)] * 2
                + ['spot, us-east-1a, now'])
        json.instances*.cpus == [2, 2, 2]
        (json.totalPerHour as double) == 0.0832d * 2 + 0.0031d
        json.unknownPrices == 0
        fake.priceList.asked.size() == 1
    }

    @IgnoreIf({ System.getenv('AWS_ACCESS_KEY_ID') || System.getenv('AWS_PROFILE') || System.getenv('AWS_WEB_IDENTITY_TOKEN_FILE') || System.getenv('AWS_CONTAINER_CREDENTIALS_FULL_URI') || System.getenv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') })
    def "plan without credentials says what to do, without a stack trace"() {
        when:
        def result = katapult('plan', '-C', ws.toString(), 'examples/aws.groovy')

        then:
        result.code() == 1
        result.err().contains('no AWS credentials found')
        result.err().contains('aws configure')
        !result.err().contains('\tat ')
        fake.calls.isEmpty()
    }

    def "down --dry-run lists what down removes; down leaves nothing tagged"() {
        given:
        credentials()
        Path config = ws.resolve('p.groovy')
        Files.writeString(config, """katapult { project 'p'; provider 'aws'
            instance { region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.micro'; sshCidr '198.51.100.7/32'; number 2 }
            job { runCommand 'true'; repeat 2 } }""")
        assert katapult('init', '-C', ws.toString(), config.toString()).code() == 0
        and: 'instances made by an earlier Katapult whose state was lost, and an IAM role under the project path'
        def provider = new AwsProvider(katapult.dsl.ConfigLoader.load(config), ws.resolve('.katapult/p'),
                AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS, SshConnector.UNAVAILABLE, { null })
        def plans = katapult.plan.InstanceExpander.expand(provider.config.instances(), provider::machineCpus, provider::defaultCpus)
        plans.each { provider.ensure(it, Optional.empty(), { }) }
        provider.maestroHosting().orElseThrow().ensure({ })
        provider.close()
        fake.roles['p-runner'] = [name: 'p-runner', path: '/katapult/p/', attached: ['arn:aws:iam::aws:policy/ReadOnly'], inline: ['logs']]
        fake.instanceProfiles['p-runner'] = [name: 'p-runner', path: '/katapult/p/', roles: ['p-runner']]
        fake.keyPairs['key-other'] = [id: 'key-other', name: 'katapult-p-someoneelse', material: 'ssh-rsa AAAA', fingerprint: 'x', tags: ['katapult:project': 'p']]
        assert fake.tagged('p').size() == 11   // 3 instances (one the maestro), 3 volumes, group, 2 key pairs, the maestro's role and profile

        when:
        def dry = katapult('down', '--dry-run', '-C', ws.toString(), '-p', 'p')

        then:
        dry.code() == 0
        dry.out().count('instance i-') == 3
        dry.out().contains('role katapult-maestro-p')
        dry.out().contains('security group')
        dry.out().contains('key pair katapult-p-')
        dry.out().contains('(kept) key pair katapult-p-someoneelse')
        dry.out().contains('role p-runner')
        dry.out().contains('instance profile p-runner')
        fake.live().size() == 3
        fake.count('TerminateInstances') == 0

        when:
        def down = katapult('down', '-C', ws.toString(), '-p', 'p')

        then:
        down.code() == 0
        fake.live().isEmpty()
        fake.tagged('p') == ['key-other']        // a key pair made elsewhere is never deleted
        fake.roles.isEmpty()
        fake.instanceProfiles.isEmpty()
        fake.securityGroups.isEmpty()
        !down.err().contains('still there')
    }

    def "down -p P removes P's resources, in P's region, when the config now computes another project and region"() {
        given: 'a config whose project and region come from the environment (here: system properties)'
        credentials()
        Path config = ws.resolve('env.groovy')
        Files.writeString(config, """katapult { project System.getProperty('kp.project', 'p'); provider 'aws'
            instance { region System.getProperty('kp.region', 'us-east-1'); endpoint '${fake.endpoint}'; type 't3.micro'; sshCidr '198.51.100.7/32' }
            job { runCommand 'true' } }""")
        assert katapult('init', '-C', ws.toString(), config.toString()).code() == 0
        def provider = new AwsProvider(katapult.dsl.ConfigLoader.load(config), ws.resolve('.katapult/p'),
                AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS, SshConnector.UNAVAILABLE, { null })
        def plans = katapult.plan.InstanceExpander.expand(provider.config.instances(), provider::machineCpus, provider::defaultCpus)
        plans.each { provider.ensure(it, Optional.empty(), { }) }
        provider.close()
        assert fake.tagged('p').size() == 4   // instance, volume, group, key pair
        fake.signedCalls.clear()

        when: 'the environment now names another project, in another region'
        System.setProperty('kp.project', 'q')
        System.setProperty('kp.region', 'eu-west-1')
        def down = katapult('down', '-C', ws.toString(), '-p', 'p')

        then:
        down.code() == 0
        down.err().contains("now names project 'q': working on project 'p'")
        fake.tagged('p').isEmpty()
        fake.live().isEmpty()
        fake.signedCalls.findAll { it.startsWith('DeleteSecurityGroup') } == ['DeleteSecurityGroup us-east-1']
        fake.signedCalls.findAll { it.startsWith('DeleteKeyPair') } == ['DeleteKeyPair us-east-1']
        !Files.exists(ws.resolve('.katapult/q'))

        cleanup:
        System.clearProperty('kp.project')
        System.clearProperty('kp.region')
    }

    @IgnoreIf({ System.getenv('AWS_REGION') || System.getenv('AWS_DEFAULT_REGION') })
    def "plan without a region says where to set one"() {
        given:
        credentials()
        Path config = ws.resolve('noregion.groovy')
        Files.writeString(config, """katapult { project 'nr'; provider 'aws'
            instance { endpoint '${fake.endpoint}'; type 't3.micro' }
            job { runCommand 'true' } }""")

        when:
        def result = katapult('plan', '-C', ws.toString(), config.toString())

        then:
        result.code() == 1
        result.err().contains("no AWS region for instance 'aws-1'")
        !result.err().contains('\tat ')
    }

    def "plan and down are documented commands"() {
        expect:
        katapult('plan', '--help').out().contains('Usage: katapult plan')
        katapult('down', '--help').out().contains('--dry-run')
    }
}
