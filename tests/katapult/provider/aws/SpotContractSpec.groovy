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
import katapult.state.StateStore
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The spot contract against the fake EC2 and a stand-in metadata service: a spot instance's agent sees the
 * interruption notice, its jobs get SIGTERM and $KATAPULT_PREEMPTED, and their runs go to another instance as the
 * same attempt; spot_fallback launches on-demand after N preemptions.
 */
@Timeout(150)
@Tag('e2e')
class SpotContractSpec extends Specification {

    static final String NOTICE_TIME = '2026-12-07T10:00:00Z'

    FakeEc2 fake = new FakeEc2()
    FakeMetadata metadata = new FakeMetadata()
    FakeHosts hosts

    @TempDir
    Path ws

    @Shared
    @TempDir
    Path home

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new FakeHosts(Files.createDirectories(ws.resolve('machines')), fake)
        AwsTestSupport.useFakeAws(ws, home)
        System.setProperty('katapult.aws.metadata', metadata.base())
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
        System.clearProperty('katapult.aws.metadata')
        hosts?.close()
        metadata.close()
        fake.close()
    }

    /** A job that runs for {@code seconds} and, on SIGTERM, writes what $KATAPULT_PREEMPTED holds to terms.txt. */
    String job(int repeat, int seconds) {
        Path terms = ws.resolve('terms.txt')
        """
                job {
                    name 'ck'
                    runCommand '''trap 'echo "TERM \$KATAPULT_RUN_ID \$(cat "\$KATAPULT_PREEMPTED")" >> ${terms}; exit 143' TERM
                        [ -e "\$KATAPULT_PREEMPTED" ] && echo early >> ${terms}
                        for i in \$(seq ${seconds * 10}); do sleep 0.1; done
                        echo "done \$KATAPULT_RUN_ID" > out.txt'''
                    outputFiles 'out.txt'
                    repeat ${repeat}
                }"""
    }

    Path config(String instances, String jobs) {
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'spot'
                provider 'aws'
                autoStop false
                ${instances}
                ${jobs}
            }""")
    }

    String entry(String name, String more) {
        """
                instance {
                    name '${name}'
                    region 'us-east-1'
                    endpoint '${fake.endpoint}'
                    sshCidr '198.51.100.7/32'
                    type 't3.micro'
                    cpus 2
                    ${more}
                }"""
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it }, { config, dir -> AwsProvider.create(config, dir, hosts) } as ProviderFactory)
    }

    Map runInBackground(Session session, Duration runFor) {
        def result = [finished: null, error: null]
        result.thread = Thread.start {
            try {
                result.finished = session.runAll(runFor)
            } catch (Throwable t) {
                result.error = t
            }
        }
        result
    }

    void waitFor(Duration limit, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + limit.toMillis()
        while (!condition()) {
            assert System.currentTimeMillis() < deadline: 'condition not met in time'
            Thread.sleep(50)
        }
    }

    def "a notice: the spot instance's jobs get SIGTERM and \$KATAPULT_PREEMPTED, and run again elsewhere as the same attempt"() {
        given: 'a spot entry and an on-demand one, two runs each'
        def session = open(config(entry('spot', 'eco true') + entry('steady', ''), job(4, 8)))
        def background = runInBackground(session, Duration.ofSeconds(120))
        waitFor(Duration.ofSeconds(40)) {
            session.runs().count { it.state() == RunState.RUNNING && it.run().instance().startsWith('spot') } == 2
        }
        def onSpot = session.runs().findAll { it.state() == RunState.RUNNING && it.run().instance().startsWith('spot') }*.run()

        when: 'the spot instance gets an interruption notice'
        metadata.notice(NOTICE_TIME)
        background.thread.join()

        then: 'each of its jobs got SIGTERM and read the notice time from $KATAPULT_PREEMPTED'
        background.error == null
        background.finished
        def terms = Files.readAllLines(ws.resolve('terms.txt'))
        terms.sort() == onSpot.collect { "TERM ${it.rid()} ${NOTICE_TIME}".toString() }.sort()

        and: 'their runs were PREEMPTED, then DONE on the other instance, attempt unchanged'
        events.any { it instanceof Event.RunChanged && it.run().state() == RunState.PREEMPTED }
        def after = session.runs()*.run()
        after.every { it.state() == RunState.DONE && it.fetched() }
        def moved = after.findAll { it.uid() in onSpot*.uid() }
        moved.every { it.attempt() == 1 && it.preemptions() == 1 && it.instance().startsWith('steady') }
        moved.every { Files.readString(session.resultsFolder().resolve("ck/${it.repeat()}/out.txt")).trim() == "done ${it.rid()}" }

        and: 'the agent asked the metadata service the IMDSv2 way, and only the spot instance asked'
        metadata.requests.contains('PUT /latest/api/token')
        metadata.asked() >= 1
        session.status().instances().size() == 2

        cleanup:
        session?.close()
    }

    def "spot_fallback 1: after a preemption, the entry's next launch is on-demand, and the notice is in the state"() {
        given:
        def session = open(config(entry('spot', 'eco true\nspotFallback 1'), job(1, 8)))
        def background = runInBackground(session, Duration.ofSeconds(120))
        waitFor(Duration.ofSeconds(40)) { session.runs().every { it.state() == RunState.RUNNING } }
        String victim = fake.live()[0].id

        when: 'a notice, then the interruption itself'
        metadata.notice(NOTICE_TIME)
        waitFor(Duration.ofSeconds(30)) { session.runs().every { it.run().preemptions() == 1 } }
        fake.interruptSpot(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        fake.instances[victim].spot
        fake.live().size() == 1
        !fake.live()[0].spot
        session.runs().every { it.state() == RunState.DONE && it.run().attempt() == 1 }
        StateStore.peek(ws.resolve('.katapult/spot')).get().spotNotices().size() == 1

        cleanup:
        session?.close()
    }
}
