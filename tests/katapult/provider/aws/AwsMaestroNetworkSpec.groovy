package katapult.provider.aws

import java.nio.file.Path

import katapult.config.Config
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The project's security group as the remote maestro sees it: the maestro reaches the workers over SSH from its own
 * address and the laptop reaches the maestro from its one, so on the maestro the group gains the maestro's address
 * and keeps the laptop's rule; on the laptop, rules no entry asks for are still revoked.
 */
@Timeout(60)
@Tag('e2e')
class AwsMaestroNetworkSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    AwsNetwork network(Config config, boolean onTheMaestro) {
        def regions = new AwsRegions(config, AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS)
        def ledger = new AwsLedger(ws.resolve('state'))
        new AwsNetwork(config, regions, { '203.0.113.9' },
                new AwsProjectVpc(config.project(), ledger, AwsTestSupport.FAST), onTheMaestro)
    }

    String group(AwsNetwork network, Config config) {
        def c = new AwsRegions(config, AwsTestSupport.FAST, AwsTestSupport.CREDENTIALS).clients(config.instances()[0])
        network.securityGroup(c, network.vpc(c, config.instances()[0]))
    }

    def "on the maestro the group also lets the maestro in, and keeps the laptop's rule"() {
        given:
        Config config = AwsTestSupport.config(ws, fake, "type 't3.micro'")
        group(network(config, false), config)
        def rules = fake.securityGroups.values()[0].ingress

        expect:
        rules*.cidr == ['198.51.100.7/32']

        when: 'the maestro ensures the same group'
        rules << [protocol: 'tcp', from: 22, to: 22, cidr: '192.0.2.44/32']
        group(network(config, true), config)

        then:
        rules*.cidr as Set == ['198.51.100.7/32', '192.0.2.44/32', '203.0.113.9/32'] as Set

        when: 'the laptop ensures it again'
        group(network(config, false), config)

        then: 'rules no entry asks for go, as before'
        rules*.cidr == ['198.51.100.7/32']
    }
}
