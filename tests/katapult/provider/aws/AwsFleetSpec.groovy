package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import katapult.LeftoverProcesses
import katapult.providers.ProviderFactory
import katapult.session.Session
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Many instances started at once on the fake EC2: each is launched once, reached and given the agent once, and the
 * project's security group is checked a few times for all of them, not twice per instance.
 */
@Timeout(300)
@Tag('e2e')
class AwsFleetSpec extends Specification {

    static final int COUNT = 20

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    @Shared
    @TempDir
    Path home

    @AutoCleanup
    FakeHosts hosts

    def setup() {
        hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
        AwsTestSupport.useFakeAws(ws, home)
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    Path config() {
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'fleet'
                provider 'aws'
                autoStop false
                instance {
                    name 'w'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    type 't3.micro'
                    number ${COUNT}
                }
                job { name 'j'; runCommand 'true'; cpusReq 2; repeat ${COUNT} }
            }""")
    }

    Session open() {
        Session.open(ws, config(), { }, { cfg, dir -> AwsProvider.create(cfg, dir, hosts) } as ProviderFactory)
    }

    static boolean agentInstalled(Path home) {
        Files.walk(home).withCloseable { files -> files.anyMatch { it.fileName.toString() == 'agent.sh' } }
    }

    def "20 instances started together: all ready, none launched twice, each given the agent once"() {
        given:
        def session = open()

        when:
        session.start()

        then: 'every planned instance runs with the agent, one EC2 instance each'
        def instances = session.status().instances()
        instances.size() == COUNT
        instances.every { it.status() == 'RUNNING' && it.agentVersion() != null }
        fake.instances.size() == COUNT
        fake.count('RunInstances') == COUNT
        fake.live()*.tags*.get('Name').toSet().size() == COUNT
        instances*.handle()*.split('/')*.getAt(1).toSet() == fake.instances.keySet()

        and: 'each machine was reached once, to install its agent'
        hosts.contacts.size() == COUNT
        hosts.contacts.toSet() == fake.instances.keySet()
        fake.instances.keySet().every { id -> agentInstalled(hosts.home(id)) }

        and: 'no launch checks the security group twice: launches that overlap share one check, and it was two each'
        fake.count('CreateSecurityGroup') == 1
        fake.count('DescribeSecurityGroups') <= COUNT     // was two per instance; how many overlap is the machine's

        when: 'started again: nothing new is launched and no agent is installed again'
        session.start()

        then:
        fake.instances.size() == COUNT
        fake.count('RunInstances') == COUNT
        hosts.contacts.size() == COUNT

        cleanup:
        session?.close()
    }
}
