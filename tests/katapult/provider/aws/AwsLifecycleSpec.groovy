package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

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
 * Machines that stop themselves, on the fake EC2: the agent on each {@link FakeHosts} machine judges idle stop and the
 * dead-man switch; its shutdown command (the test suite's KATAPULT_SHUTDOWN_COMMAND) is recorded and turned into the
 * instance's own shutdown (stopped, or terminated for a one-time spot instance).
 */
@Timeout(150)
@Tag('e2e')
class AwsLifecycleSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

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

    Path config(String global, String instance, int repeat = 2) {
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'idle'
                provider 'aws'
                autoStop false
                ${global}
                instance {
                    name 'w'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    sshPort 2222
                    type 't3.micro'
                    ${instance}
                }
                job {
                    name 'sq'
                    runCommand 'sleep 0.2; echo "done \$KATAPULT_RUN_ID" > out.txt'
                    outputFiles 'out.txt'
                    repeat ${repeat}
                }
            }""")
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it }, { config, dir -> AwsProvider.create(config, dir, hosts) } as ProviderFactory)
    }

    boolean allDone(Session session) {
        session.runs().every { it.state() == RunState.DONE } &&
                session.runs().every { Files.exists(session.resultsFolder().resolve("sq/${it.run().repeat()}/out.txt")) }
    }

    /** Places, deploys and submits the runs, then closes the session: Katapult is gone, the runs go on. */
    void submitAndLeave(Path file) {
        def session = open(file)
        session.start()
        session.assign()
        session.deploy()
        session.submit()
        session.close()
    }

    /** Whether {@code condition} comes true within {@code seconds}; the fake's clock moves its instances' states. */
    boolean waitFor(double seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9)
        while (System.nanoTime() < deadline) {
            fake.tick()
            if (condition()) {
                return true
            }
            sleep(100)
        }
        fake.tick()
        condition()
    }

    def "idle stop: after the last fetch an on-demand instance stops itself within idle_stop (and the judging period); a later run starts it"() {
        given:
        def file = config('heartbeatTimeout \'1h\'', 'idleStop \'3s\'')
        def session = open(file)

        when:
        boolean finished = session.runAll(Duration.ofSeconds(60))
        long fetchedAt = System.nanoTime()
        String id = fake.live()[0].id

        then:
        finished && allDone(session)
        fake.instances[id].shutdownBehavior == 'stop'
        waitFor(30) { fake.instances[id].state == 'stopped' }
        (System.nanoTime() - fetchedAt) / 1e9 >= 3
        hosts.shutdowns == [id]
        Files.readString(hosts.home(id).resolve('.katapult/idle/instances/w/shutdown')).trim().endsWith(' idle')

        when: 'more runs: the stopped instance is started again, its disk kept'
        session.close()
        def again = open(config('heartbeatTimeout \'1h\'', 'idleStop \'3s\'', 3))
        boolean more = again.runAll(Duration.ofSeconds(60))

        then:
        more && allDone(again)
        fake.instances.size() == 1
        fake.instances[id].state == 'running'

        cleanup:
        again?.close()
    }

    def "dead-man: Katapult gone, an on-demand instance stops with its results kept; a later wait starts it and fetches"() {
        given:
        def file = config('idleStop \'off\'\n heartbeatTimeout \'3s\'', '')

        when:
        submitAndLeave(file)
        String id = fake.live()[0].id

        then:
        waitFor(40) { fake.instances[id].state == 'stopped' }
        Files.readString(hosts.home(id).resolve('.katapult/idle/instances/w/shutdown')).trim().endsWith(' deadman')

        when:
        def session = open(file)
        boolean finished = session.waitAll(Duration.ofSeconds(60))

        then:
        finished && allDone(session)
        fake.count('StartInstances') >= 1

        cleanup:
        session?.close()
    }

    def "a one-time spot instance with unfetched results stays up past heartbeat_timeout; once fetched, it shuts down"() {
        given:
        def file = config('idleStop \'off\'\n heartbeatTimeout \'2s\'', 'eco true')

        when:
        submitAndLeave(file)
        String id = fake.live()[0].id

        then: 'well past the dead-man delay, it is still up'
        fake.instances[id].spot && fake.instances[id].shutdownBehavior == 'terminate'
        !waitFor(12) { fake.instances[id].state != 'running' }
        hosts.shutdowns.isEmpty()

        when:
        def session = open(file)
        boolean finished = session.waitAll(Duration.ofSeconds(60))

        then:
        finished && allDone(session)
        waitFor(40) { fake.instances[id].state == 'terminated' }
        hosts.shutdowns == [id]

        cleanup:
        session?.close()
    }

    def "dead-man after Katapult saw the runs finish but fetched none: a later #how starts the stopped instance and fetches"() {
        given:
        def file = config('idleStop \'off\'\n heartbeatTimeout \'3s\'', '')
        submitAndLeave(file)
        String id = fake.live()[0].id

        when: 'Katapult polls until every run is DONE, fetches nothing, and goes'
        def seer = open(file)
        long deadline = System.nanoTime() + 60_000_000_000L
        while (!seer.refresh().runs().every { it.state() == RunState.DONE } && System.nanoTime() < deadline) {
            sleep(200)
        }
        boolean seen = seer.runs().every { it.state() == RunState.DONE && !it.run().fetched() }
        seer.close()

        then:
        seen
        waitFor(40) { fake.instances[id].state == 'stopped' }

        when:
        def session = open(file)
        if (how == 'wait') {
            session.waitAll(Duration.ofSeconds(30))
        } else {
            session.fetchFinished(null)
        }

        then: 'started, fetched, and the instance told so'
        allDone(session) && session.runs().every { it.run().fetched() }
        fake.instances[id].state == 'running'
        session.runs().every { Files.exists(hosts.home(id).resolve(".katapult/idle/instances/w/runs/${it.run().rid()}/fetched")) }

        cleanup:
        session?.close()

        where:
        how << ['wait', 'fetch']
    }
}
