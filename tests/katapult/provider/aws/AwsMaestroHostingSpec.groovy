package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.config.Config
import katapult.plan.InstanceExpander
import katapult.provider.InstanceStatus
import katapult.provider.MaestroHost
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The project's maestro on the fake EC2: one tagged instance, its IAM rights, and both gone with remove or down. */
@Timeout(60)
@Tag('e2e')
class AwsMaestroHostingSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path dir

    @Shared
    @TempDir
    Path home

    List<AwsProvider> providers = []
    List<String> progress = []

    def setup() {
        System.setProperty('katapult.home', home.toString())
    }

    def cleanup() {
        providers*.close()
        System.clearProperty('katapult.home')
    }

    /** A provider of the project as a (new) Katapult makes it: same state folder, same config. */
    AwsProvider provider(String global = '') {
        Config config = AwsTestSupport.config(dir.resolve('cfg'), fake, "type 't3.micro'", 'proj')
        if (global) {
            config = new katapult.config.TempConfig(dir.resolve('cfg2')).load("""
                katapult {
                    project 'proj'
                    provider 'aws'
                    ${global}
                    instance { region 'us-east-1'; endpoint '${fake.endpoint}'; sshCidr '198.51.100.7/32'; type 't3.micro' }
                    job { runCommand 'true' }
                }""".stripIndent())
        }
        def made = AwsTestSupport.provider(config, dir.resolve('state'))
        providers << made
        made
    }

    MaestroHost ensure(AwsProvider p) {
        p.maestroHosting().orElseThrow().ensure({ progress << it })
    }

    List<FakeEc2.FakeInstance> maestros() {
        fake.live().findAll { it.tags['katapult:role'] == 'maestro' }
    }

    def "ensure launches one tagged on-demand maestro of maestro_type with its instance profile, stopped by its own shutdown"() {
        when:
        MaestroHost host = ensure(provider("maestroType 't3.small'"))

        then:
        maestros().size() == 1
        def i = maestros()[0]
        i.state == 'running'
        i.type == 't3.small'
        !i.spot
        i.shutdownBehavior == 'stop'
        i.tags['katapult:project'] == 'proj'
        i.tags['katapult:role'] == 'maestro'
        i.iamProfile.name == 'katapult-maestro-proj'
        i.iamProfile.path == '/katapult/proj/'
        i.keyName.startsWith('katapult-proj')
        i.groups == fake.securityGroups.values().findAll { it.tags['katapult:project'] == 'proj' }*.id
        i.clientToken.startsWith('katapult-')

        and: 'the record is a running aws instance named maestro, reachable through the provider like a worker'
        host.instance().name() == 'maestro'
        host.instance().provider() == 'aws'
        host.instance().handle() == 'us-east-1/' + i.id
        host.instance().status() == InstanceStatus.RUNNING

        and: 'the role, its policy and the profile, under the project path, tagged'
        def role = fake.roles['katapult-maestro-proj']
        role.path == '/katapult/proj/'
        role.tags == ['katapult:project': 'proj']
        role.trust.contains('ec2.amazonaws.com')
        new ObjectMapper().readValue(role.documents['katapult-maestro'], Map).Statement.size() >= 5
        fake.instanceProfiles['katapult-maestro-proj'].roles == ['katapult-maestro-proj']
        fake.instanceProfiles['katapult-maestro-proj'].tags == ['katapult:project': 'proj']
    }

    def "the default maestro_type is t3.small"() {
        when:
        ensure(provider())

        then:
        maestros()*.type == ['t3.small']
    }

    def "ensure twice, or from another Katapult, gives the same instance"() {
        when:
        def first = ensure(provider())
        def second = ensure(provider())
        def third = ensure(providers[0])

        then:
        maestros().size() == 1
        [first, second, third]*.instance()*.handle().unique().size() == 1
        fake.count('RunInstances') == 1
        and: 'the rights made by the first are found, not refused'
        fake.roles.size() == 1
        fake.instanceProfiles.size() == 1
    }

    def "a Katapult killed between RunInstances and its answer, run again, gets the same instance"() {
        given: 'the launch makes the instance, but its answer is lost; the instance stays invisible to tag lookups'
        fake.loseRunInstancesAnswers = 1
        fake.invisibleMillis = 3000

        when:
        ensure(provider())

        then:
        thrown(IOException)
        fake.instances.size() == 1

        when: 'a new Katapult (another provider on the same state) ensures the maestro'
        def host = ensure(provider())

        then: 'its launch repeats the request with the same ClientToken, which names the instance made'
        fake.instances.size() == 1
        host.instance().handle().endsWith(fake.instances.keySet()[0])
        fake.count('RunInstances') == 2
    }

    def "a stopped maestro is started, its disk kept"() {
        given:
        def p = provider()
        def first = ensure(p)
        def id = maestros()[0].id
        fake.shutdownFromInstance(id)
        fake.advance(1000)

        expect:
        p.maestroHosting().get().find().get().instance().status() == InstanceStatus.STOPPED

        when:
        def again = ensure(p)

        then:
        again.instance().handle() == first.instance().handle()
        fake.instances[id].state == 'running'
        fake.count('StartInstances') == 1
        fake.count('RunInstances') == 1
        progress.any { it.contains('starting stopped instance ' + id) }
    }

    def "the maestro's price and time: quoted as maestro_type on demand, counted apart from the workers' spend until it stops or goes"() {
        given:
        def p = provider("maestroType 't3.small'")
        def hosting = p.maestroHosting().get()

        expect: 'its price before anything is made'
        hosting.quote().get().type() == 't3.small'
        hosting.quote().get().hourly() == 0.0208d
        !hosting.quote().get().spot()
        fake.count('RunInstances') == 0

        when:
        ensure(p)
        def id = maestros()[0].id
        def running = hosting.spend().get()

        then: 'billed from its launch, a minute at least, and not in the workers\' spend'
        running.burnPerHour() == 0.0208d
        running.dollars() == 0.0208d / 60
        p.spend([], false).get().dollars() == 0d

        when: 'it stops itself: it stops counting once seen'
        fake.shutdownFromInstance(id)
        fake.advance(1000)
        def stopped = hosting.spend().get()

        then:
        stopped.burnPerHour() == 0d
        stopped.dollars() == running.dollars()

        when: 'started again and removed: a second period, closed by the removal'
        ensure(p)
        hosting.remove({ progress << it })
        def removed = hosting.spend().get()

        then:
        removed.burnPerHour() == 0d
        removed.dollars() == 2 * 0.0208d / 60
    }

    def "a new instance profile unknown to EC2 for a while delays the launch, it does not fail it"() {
        given:
        fake.iam.profileInvisibleMillis = 2000

        when:
        ensure(provider())

        then:
        maestros().size() == 1
        fake.count('RunInstances') > 1
    }

    def "find sees no maestro before ensure, and does not make one"() {
        expect:
        provider().maestroHosting().get().find().isEmpty()
        fake.instances.isEmpty()
        fake.roles.isEmpty()
    }

    def "a worker named maestro is never taken for the maestro, nor the other way round"() {
        given:
        Config config = new katapult.config.TempConfig(dir.resolve('cfgw')).load("""
            katapult {
                project 'proj'
                provider 'aws'
                instance { name 'maestro'; region 'us-east-1'; endpoint '${fake.endpoint}'; sshCidr '198.51.100.7/32'; type 't3.micro' }
                job { runCommand 'true' }
            }""".stripIndent())
        def p = AwsTestSupport.provider(config, dir.resolve('state'))
        providers << p
        def plan = InstanceExpander.expand(config.instances(), p::machineCpus, p::defaultCpus)[0]

        when:
        def maestro = ensure(p)
        def worker = p.ensure(plan, Optional.empty(), { })

        then:
        maestro.instance().handle() != worker.handle()
        fake.live().size() == 2
    }

    def "with an endpoint override the maestro gets the endpoint, the region and the caller's credentials in a file"() {
        when:
        def host = ensure(provider())

        then:
        host.environment() == [AWS_ENDPOINT_URL: fake.endpoint, AWS_REGION: 'us-east-1',
                               AWS_SHARED_CREDENTIALS_FILE: 'aws-credentials', AWS_EC2_METADATA_DISABLED: 'true']
        host.privateFiles().keySet() == ['aws-credentials'] as Set
        host.privateFiles()['aws-credentials'] ==
                '[default]\naws_access_key_id = AKIDFAKE\naws_secret_access_key = fake-secret\n'
    }

    def "remove terminates the maestro and deletes its profile, policy and role; a later ensure makes a new one"() {
        given:
        def p = provider()
        def first = ensure(p)

        when:
        def removed = p.maestroHosting().get().remove({ progress << it })

        then:
        maestros().isEmpty()
        fake.tagged('proj').findAll { !it.startsWith('sg-') && !it.startsWith('key-') }.isEmpty()
        fake.roles.isEmpty()
        fake.instanceProfiles.isEmpty()
        removed.any { it.startsWith('instance i-') }
        removed.containsAll(['instance profile katapult-maestro-proj', 'role katapult-maestro-proj'])

        when: 'removing again finds nothing to remove'
        def none = p.maestroHosting().get().remove({ })

        then:
        none.isEmpty()

        when:
        def second = ensure(p)

        then:
        second.instance().handle() != first.instance().handle()
        maestros().size() == 1
    }

    def "down terminates the maestro and leaves nothing tagged, and no IAM under the project path"() {
        given:
        def p = provider()
        ensure(p)
        def plan = InstanceExpander.expand(p.config.instances(), p::machineCpus, p::defaultCpus)[0]
        p.ensure(plan, Optional.empty(), { })
        assert fake.live().size() == 2

        when:
        def cleanUp = p.cleanUp(false, { })

        then:
        fake.live().isEmpty()
        fake.tagged('proj').isEmpty()
        fake.roles.values().findAll { it.path.startsWith('/katapult/proj/') }.isEmpty()
        fake.instanceProfiles.isEmpty()
        cleanUp.deleted().count { it.startsWith('instance i-') } == 2
        cleanUp.deleted().contains('role katapult-maestro-proj')
        cleanUp.deleted().contains('instance profile katapult-maestro-proj')
        cleanUp.left().isEmpty()
    }
}
