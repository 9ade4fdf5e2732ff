package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.providers.ProviderFactory
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The network rule end to end: a cloud_id naming no VPC falls back to the default VPC with a warning; a region
 * without a default VPC gets the project's own network, runs its jobs there, and {@code down} removes all of it;
 * a Katapult killed right after CreateVpc, run again, makes no second VPC.
 */
@Timeout(180)
@Tag('e2e')
class AwsNetworkSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    /** Shared: generating the project's RSA key once is enough. */
    @Shared
    @TempDir
    Path home

    @AutoCleanup
    FakeHosts hosts

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
        AwsTestSupport.useFakeAws(ws, home)
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    Path config(String instance = '') {
        Files.writeString(ws.resolve('net.groovy'), """
            katapult {
                project 'net'
                provider 'aws'
                autoStop false
                instance {
                    name 'w'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    type 't3.micro'
                    number 2
                    ${instance}
                }
                job {
                    name 'sq'
                    runCommand 'echo "done \$KATAPULT_RUN_ID" > out.txt'
                    outputFiles 'out.txt'
                    repeat 4
                }
            }""")
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it }, { config, dir -> AwsProvider.create(config, dir, hosts) } as ProviderFactory)
    }

    boolean allDone(Session session) {
        session.runs().size() == 4 && session.runs().every { it.state() == RunState.DONE } &&
                session.runs().every { Files.exists(session.resultsFolder().resolve("sq/${it.run().repeat()}/out.txt")) }
    }

    List<String> warnings() {
        events.findAll { it instanceof Event.Warning }*.message()
    }

    def "a cloud_id naming no VPC: the runs go to the default VPC, and one warning names the id and the VPC used"() {
        given:
        def session = open(config("cloudId 'vpc-0123456789abcdef0'"))

        when:
        boolean finished = session.runAll(Duration.ofSeconds(60))

        then:
        finished
        allDone(session)
        fake.live()*.vpcId == ['vpc-default', 'vpc-default']
        warnings().findAll { it.contains('names no VPC') } ==
                ["instance 'w': cloud_id 'vpc-0123456789abcdef0' names no VPC in us-east-1: using the default VPC vpc-default"]
        fake.count('CreateVpc') == 0

        cleanup:
        session?.close()
    }

    def "no default VPC: the project's own network is made, the jobs run in it, down leaves nothing tagged"() {
        given:
        fake.network.removeDefaultVpc()
        def session = open(config())

        when:
        boolean finished = session.runAll(Duration.ofSeconds(60))

        then:
        finished
        allDone(session)
        def vpc = fake.vpcs.values().find { it.tags['katapult:project'] == 'net' }
        fake.vpcs.size() == 1
        fake.live()*.vpcId == [vpc.id, vpc.id]
        fake.tagged('net').containsAll([vpc.id] + fake.network.gateways.keySet() + fake.subnets*.id)

        when:
        def listed = session.downDryRun()

        then:
        ['internet gateway ', 'subnet ', 'route table ', 'vpc '].every { what -> listed.any { it.contains(what) } }
        fake.vpcs.size() == 1

        when:
        session.down()

        then:
        fake.tagged('net').isEmpty()
        fake.vpcs.isEmpty()
        fake.subnets.isEmpty()
        fake.network.gateways.isEmpty()
        fake.network.routeTables.isEmpty()
        !warnings().any { it.contains('still there') }

        cleanup:
        session?.close()
    }

    Process katapult(String... args) {
        def properties = ['aws.accessKeyId=AKIDFAKE', 'aws.secretAccessKey=fake-secret',
                          "aws.sharedCredentialsFile=${ws.resolve('none')}", "aws.configFile=${ws.resolve('none')}",
                          "katapult.home=${ws.resolve('home')}", "katapult.test.machines=${ws.resolve('child-machines')}",
                          'katapult.aws.poll=50', 'katapult.aws.retryBase=5', 'katapult.aws.retryMax=40',
                          'katapult.aws.notFoundGrace=5000', 'katapult.aws.offline=true'].collect { "-D$it".toString() }
        KatapultJvm.start(ws, args as List, properties, [:], AwsChildMain.name)
    }

    def "Katapult killed right after CreateVpc, run again: one VPC, completed, every run done; down removes it"() {
        given:
        fake.network.removeDefaultVpc()
        def file = config()
        Process first = null
        fake.network.afterCreateVpc = { Map vpc ->
            first.destroyForcibly()
            first.waitFor(10, TimeUnit.SECONDS)
        }

        when: 'the first Katapult is killed with SIGKILL inside CreateVpc'
        first = katapult('run', file.toString())
        first.waitFor(60, TimeUnit.SECONDS)

        then:
        fake.vpcs.size() == 1
        fake.subnets.isEmpty()
        fake.instances.isEmpty()

        when: 'it is run again'
        fake.network.afterCreateVpc = { }
        def second = katapult('run', file.toString())
        boolean finished = second.waitFor(120, TimeUnit.SECONDS)

        then:
        finished
        second.exitValue() == 0
        fake.count('CreateVpc') == 1
        fake.vpcs.size() == 1
        fake.network.gateways.size() == 1
        fake.subnets.size() == 2
        fake.live()*.vpcId.toSet() == fake.vpcs.keySet()
        (1..4).every { Files.exists(ws.resolve("results/net/sq/$it/out.txt")) }

        when:
        def down = katapult('down', '-p', 'net')

        then:
        down.waitFor(120, TimeUnit.SECONDS)
        down.exitValue() == 0
        fake.tagged('net').isEmpty()
        fake.vpcs.isEmpty()
    }
}
