package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import katapult.config.Config
import katapult.plan.InstanceExpander
import katapult.plan.InstancePlan
import katapult.state.InstanceRecord
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The aws provider's network rule against the fake EC2: a cloud_id naming no VPC falls back with a warning; a
 * region without a default VPC gets the project's own network, complete, made once (also after a lost answer or a
 * crash half way), and taken apart by the clean-up in EC2's order.
 */
@Timeout(60)
@Tag('e2e')
class AwsProjectVpcSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path dir

    /** Shared: generating the project's RSA key once is enough. */
    @Shared
    @TempDir
    Path home

    AwsProvider provider

    def setup() {
        System.setProperty('katapult.home', home.toString())
    }

    def cleanup() {
        provider?.close()
        System.clearProperty('katapult.home')
    }

    AwsProvider make(String instance, String project = 'proj') {
        Config config = AwsTestSupport.config(dir.resolve('cfg'), fake, instance, project)
        provider = AwsTestSupport.provider(config, dir.resolve('state'))
        provider
    }

    List<InstancePlan> plans() {
        InstanceExpander.expand(provider.config.instances(), provider::machineCpus, provider::defaultCpus)
    }

    InstanceRecord ensure(InstancePlan plan) {
        provider.ensure(plan, Optional.empty(), { })
    }

    def "a cloud_id naming no VPC falls back to the default VPC, with one warning naming both"() {
        given:
        List<String> warnings = []
        make("type 't3.micro'\nnumber 2\ncloudId 'vpc-0000gone'")
        provider.warnings { warnings << it }

        when:
        plans().each { ensure(it) }

        then:
        fake.live()*.vpcId == ['vpc-default', 'vpc-default']
        warnings.size() == 1
        warnings[0].contains("cloud_id 'vpc-0000gone' names no VPC in us-east-1")
        warnings[0].contains('the default VPC vpc-default')
        fake.count('CreateVpc') == 0
    }

    def "a cloud_id naming no VPC in a region without a default VPC uses the project's own network"() {
        given:
        fake.network.removeDefaultVpc()
        List<String> warnings = []
        make("type 't3.micro'\ncloudId 'vpc-0000gone'")
        provider.warnings { warnings << it }

        when:
        ensure(plans()[0])

        then:
        def own = fake.vpcs.values().find { it.tags['katapult:project'] == 'proj' }
        fake.live()*.vpcId == [own.id]
        warnings == ["instance 'aws-1': cloud_id 'vpc-0000gone' names no VPC in us-east-1: using Katapult's own VPC "
                             + own.id]
    }

    def "the project's own network: tagged VPC, a public subnet per zone, gateway, default route; recorded"() {
        given:
        fake.network.removeDefaultVpc()
        make("type 't3.micro'\nnumber 2")

        when:
        plans().each { ensure(it) }

        then: 'one VPC, tagged with the project'
        def vpcs = fake.vpcs.values().toList()
        vpcs.size() == 1
        def vpc = vpcs[0]
        vpc.tags == ['katapult:project': 'proj', 'katapult:key': 'katapult-proj-network']

        and: 'a subnet in each zone, each giving public addresses'
        def subnets = fake.subnets.findAll { it.vpc == vpc.id }
        subnets*.az.sort() == ['us-east-1a', 'us-east-1b']
        subnets*.cidr.sort() == ['10.77.0.0/20', '10.77.16.0/20']
        subnets.every { it.mapPublic && it.tags['katapult:project'] == 'proj' }

        and: 'a gateway attached, a route table sending 0.0.0.0/0 through it, associated with both subnets'
        def gateways = fake.network.gateways.values().toList()
        gateways*.vpc == [vpc.id]
        def table = fake.network.routeTables.values().find { it.tags['katapult:project'] == 'proj' }
        table.routes.find { it.cidr == '0.0.0.0/0' }.gateway == gateways[0].id
        table.associations*.subnet.sort() == subnets*.id.sort()

        and: 'instances in it; made once; in the ledger'
        fake.live()*.vpcId == [vpc.id, vpc.id]
        ['CreateVpc', 'CreateInternetGateway', 'AttachInternetGateway', 'CreateRouteTable', 'CreateRoute']
                .every { fake.count(it) == 1 }
        fake.count('CreateSubnet') == 2
        Files.readString(dir.resolve('state/aws.json')).contains(vpc.id)
    }

    def "a CreateVpc whose answer is lost is not repeated: the VPC is found again by its tags"() {
        given:
        fake.network.removeDefaultVpc()
        make("type 't3.micro'")
        fake.network.afterCreateVpc = { if (fake.count('CreateVpc') == 1) { throw new FakeEc2.Ec2Error(500, 'InternalError', 'An internal error has occurred') } }

        when:
        ensure(plans()[0])

        then:
        fake.count('CreateVpc') == 1
        fake.vpcs.size() == 1
        fake.live()*.vpcId == [fake.vpcs.keySet()[0]]
    }

    def "a network left half made is completed, not made twice"() {
        given: 'an earlier call made the VPC, then failed before anything else'
        fake.network.removeDefaultVpc()
        make("type 't3.micro'")
        fake.network.afterCreateVpc = { throw new FakeEc2.Ec2Error(400, 'Simulated.Crash', 'the caller died here') }

        when:
        ensure(plans()[0])

        then:
        thrown(IOException)
        fake.vpcs.size() == 1
        fake.subnets.isEmpty()

        when:
        fake.network.afterCreateVpc = { }
        provider.close()
        make("type 't3.micro'")
        ensure(plans()[0])

        then:
        fake.vpcs.size() == 1
        fake.count('CreateVpc') == 1
        fake.subnets.size() == 2
        fake.network.gateways.size() == 1
        fake.live()*.vpcId == [fake.vpcs.keySet()[0]]
    }

    def "down takes the project's network apart in EC2's order and lists it in a dry run"() {
        given:
        fake.network.removeDefaultVpc()
        make("type 't3.micro'")
        def record = ensure(plans()[0])

        when:
        def listed = provider.cleanUp(true, { })

        then:
        ['instance ', 'security group ', 'internet gateway ', 'subnet ', 'route table ', 'vpc '].every { what ->
            listed.deleted().any { it.startsWith(what) }
        }
        fake.vpcs.size() == 1

        when:
        provider.remove(record)
        def done = provider.cleanUp(false, { })

        then:
        done.left().isEmpty()
        fake.tagged('proj').isEmpty()
        fake.vpcs.isEmpty()
        fake.subnets.isEmpty()
        fake.network.gateways.isEmpty()
        fake.network.routeTables.isEmpty()
        !Files.readString(dir.resolve('state/aws.json')).contains('vpc-')

        when: 'a start after down, by the same provider'
        ensure(plans()[0])

        then: 'the network is made again, not looked for in the VPC removed'
        fake.count('CreateVpc') == 2
        fake.vpcs.size() == 1
        fake.live()*.vpcId == [fake.vpcs.keySet()[0]]
    }
}
