package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.providers.ProviderFactory
import katapult.session.Event
import katapult.session.Session
import katapult.session.SessionException
import katapult.state.RunState
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The whole session on provider 'aws' against the fake EC2. The machines are {@link FakeHosts} (a folder per
 * instance reached with a LocalShell) until the SSH test hosts land; the provider, the session and the fake are
 * the real ones.
 */
@Timeout(120)
@Tag('e2e')
class AwsSessionSpec extends Specification {

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

    List<Event> events = new CopyOnWriteArrayList<>()   // read while the session thread adds

    def setup() {
        hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
        AwsTestSupport.useFakeAws(ws, home)
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    Path config(String instance = '', int repeat = 4, String sleep = '0.2') {
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'cloud'
                provider 'aws'
                autoStop false
                instance {
                    name 'w'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    sshPort 2222
                    type 't3.micro'
                    number 2
                    ${instance}
                }
                job {
                    name 'sq'
                    runCommand 'sleep ${sleep}; echo "done \$KATAPULT_RUN_ID" > out.txt'
                    outputFiles 'out.txt'
                    cpusReq 1
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

    def "a full run on 2 instances: every run DONE and fetched, 2 instances, tagged"() {
        given:
        def session = open(config())

        when:
        boolean finished = session.runAll(Duration.ofSeconds(60))

        then:
        finished
        allDone(session)
        fake.live().size() == 2
        fake.live().every { it.tags['katapult:project'] == 'cloud' }
        session.status().instances()*.status == ['RUNNING', 'RUNNING']
        session.runs()*.run()*.instance.toSet() == ['w-1', 'w-2'] as Set

        cleanup:
        session?.close()
    }

    def "Katapult killed right after RunInstances and run again: still 2 instances"() {
        given:
        fake.loseRunInstancesAnswers = 1
        def first = open(config())

        when: 'start stops at the lost answer (runAll would go on with the other instance and try again)'
        first.start()

        then:
        thrown(SessionException)
        fake.instances.size() == 2

        when: 'Katapult comes back while EC2 does not list the lost instance yet'
        def recorded = first.status().instances()*.handle()*.split('/')*.getAt(1)
        recorded.size() == 1
        fake.instances.values().find { !(it.id in recorded) }.visibleAt = System.currentTimeMillis() + 2500
        first.close()
        def second = open(config())
        boolean finished = second.runAll(Duration.ofSeconds(60))

        then:
        finished
        allDone(second)
        fake.instances.size() == 2
        fake.count('RunInstances') == 3      // the lost launch was asked again: its ClientToken named the same instance

        cleanup:
        second?.close()
    }

    /** Runs the session in a thread; returns once some run is RUNNING on an instance. */
    Map runInBackground(Session session) {
        AwsTestSupport.runInBackground(session, events, Duration.ofSeconds(90), Duration.ofSeconds(30))
    }

    def "an instance stopped mid-run is started again; the results are complete"() {
        given:
        def session = open(config('', 4, '1.5'))
        def background = runInBackground(session)
        String victim = fake.live()[0].id
        String volume = fake.live()[0].volumeId

        when:
        fake.stopFromOutside(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        allDone(session)
        fake.instances.size() == 2
        fake.instances[victim].state == 'running'
        fake.instances[victim].volumeId == volume
        session.status().instances()*.generation == [1, 1]
        fake.count('StartInstances') >= 1

        cleanup:
        session?.close()
    }

    def "an instance terminated mid-run is replaced; its runs go again on the new one"() {
        given:
        def session = open(config('', 4, '1.5'))
        def background = runInBackground(session)
        String victim = fake.live()[0].id

        when:
        fake.terminateFromOutside(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        allDone(session)
        fake.live().size() == 2
        !(victim in fake.live()*.id)
        session.status().instances()*.generation.sort() == [1, 2]
        session.runs().any { it.run().attempt() > 1 }

        cleanup:
        session?.close()
    }

    def "a spot instance interrupted mid-run is replaced by a new spot instance"() {
        given:
        def session = open(config("eco true\nmaxBid 0.01", 4, '1.5'))
        def background = runInBackground(session)
        String victim = fake.live()[0].id

        when:
        fake.interruptSpot(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        allDone(session)
        fake.live().size() == 2
        fake.live().every { it.spot && it.maxPrice == '0.0100' }
        fake.instances[victim].stateReasonCode == 'Server.SpotInstanceTermination'
        session.status().instances()*.generation.sort() == [1, 2]

        cleanup:
        session?.close()
    }

    def "an instance that cannot be made has its runs ABORTED with the reason; the others finish"() {
        given:
        def session = open(config("eco true\nmaxBid 0.01", 4))
        fake.spotPrices['t3.micro'] = 0.5d

        when:
        boolean finished = session.runAll(Duration.ofSeconds(60))

        then:
        finished
        session.runs().every { it.state() == RunState.ABORTED }
        session.runs().every { it.run().reason().contains('SpotMaxPriceTooLow') }
        fake.live().isEmpty()

        cleanup:
        session?.close()
    }

    def "status tells the running cost of spot instances"() {
        given:
        def session = open(config("eco true", 2))
        session.runAll(Duration.ofSeconds(60))

        expect:
        session.cost().get().spend().line() ==~ /spent so far: \$0\.\d{4}; burn rate \$0\.0062\/hour/

        cleanup:
        session?.close()
    }

    def "down removes the instances and everything tagged with the project"() {
        given:
        def session = open(config())
        session.runAll(Duration.ofSeconds(60))

        when:
        session.down()

        then:
        fake.live().isEmpty()
        fake.tagged('cloud').isEmpty()
        session.status().instances().isEmpty()
        !events.any { it instanceof Event.Warning && it.message().contains('still there') }

        cleanup:
        session?.close()
    }

    def "down removes instances it cannot reach any more"() {
        given:
        def session = open(config())
        session.runAll(Duration.ofSeconds(60))
        hosts.refuse = true

        when:
        session.down()

        then:
        fake.live().isEmpty()
        fake.tagged('cloud').isEmpty()
        events.any { it instanceof Event.Warning && it.message().contains('cannot stop the agent') }
        fake.count('StopInstances') == 0

        cleanup:
        session?.close()
    }

    def "without ssh_cidr, a start that cannot find the public address asks for ssh_cidr"() {
        given:
        Files.writeString(ws.resolve('nocidr.groovy'), """
            katapult { project 'nocidr'; provider 'aws'
                instance { region 'us-east-1'; endpoint '${fake.endpoint}'; type 't3.micro' }
                job { runCommand 'true' } }""")
        def session = open(ws.resolve('nocidr.groovy'))

        when:
        session.start()

        then:
        def e = thrown(RuntimeException)
        e.message.contains('ssh_cidr')
        fake.count('RunInstances') == 0

        cleanup:
        session?.close()
    }

    def "auto_stop: a run that timed out stops nothing, the wait after it stops the instances, a later submit starts them"() {
        given:
        def file = Files.writeString(ws.resolve('cfg.groovy'),
                Files.readString(config('', 2, '2')).replace('autoStop false', 'autoStop true'))
        def session = open(file)

        when:
        boolean early = session.runAll(Duration.ofMillis(300))

        then:
        !early
        fake.count('StopInstances') == 0

        when:
        boolean finished = session.waitAll(Duration.ofSeconds(60))

        then: 'every run fetched, then both instances stopped (disks kept)'
        finished
        allDone(session)
        session.status().instances()*.status == ['STOPPED', 'STOPPED']
        fake.instances.values()*.state.every { it in ['stopping', 'stopped'] }
        events.any { it instanceof Event.Step && it.message().startsWith('auto_stop: every run is finished and fetched, stopping w-1, w-2') }

        when: 'a job submitted afterwards'
        def job = session.submit(name: 'late', run_command: 'echo l > l.txt', output_files: 'l.txt')
        boolean again = session.awaitAll()

        then: 'its instance was started again, ran it, and was stopped again'
        again
        Files.readString(job.output('l.txt')) == 'l\n'
        fake.count('StartInstances') >= 1
        session.status().instances()*.status.every { it == 'STOPPED' }

        cleanup:
        session?.close()
    }
}
