package katapult.session

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.state.InstanceState
import katapult.state.RunState
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * auto_stop applies wherever a session is driven to its end (every run finished and fetched): after a wait that
 * follows a run that timed out, after rounds of advance(), never after a wait that times out, never with
 * auto_stop false; a later submit starts the stopped instance again.
 */
@Timeout(120)
@Tag('e2e')
class AutoStopSpec extends Specification {

    @TempDir
    Path ws

    List<Event> events = []

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Session open(String project, String autoStop, String jobs) {
        def file = Files.writeString(ws.resolve("${project}.groovy"),
                "katapult { project '$project'; $autoStop instance { name 'box'; cpus 2 }\n$jobs }")
        Session.open(ws, file, { events << it })
    }

    static String sleeper(String name, double seconds) {
        "job { name '$name'; runCommand 'sleep $seconds; echo $name > o.txt'; outputFiles 'o.txt' }"
    }

    static List<InstanceState> states(Session session) {
        session.status().instances()*.state()
    }

    /** Agent loops running for this workspace. */
    List<Long> agentLoops() {
        LeftoverProcesses.under(ws).findAll { pid, cmd -> cmd.contains('agent.sh') && cmd.endsWith('\0loop') }
                .keySet().toList()
    }

    List<String> autoStopLines() {
        events.findAll { it instanceof Event.Step && it.message().startsWith('auto_stop:') }*.message()
    }

    def "a run or a wait that times out stops nothing; the wait that then sees every run finished stops the instances"() {
        given:
        def session = open('late', '', sleeper('slow', 3))

        when:
        def finished = session.runAll(Duration.ofMillis(200))

        then: 'the timeout left the instance up and its run going'
        !finished
        states(session) == [InstanceState.RUNNING]
        autoStopLines().isEmpty()

        when: 'a wait that times out too'
        def waited = session.waitAll(Duration.ofMillis(300))

        then: 'stops nothing either'
        !waited
        states(session) == [InstanceState.RUNNING]
        !events.any { it instanceof Event.Step && it.step() == 'stop' }

        when:
        def settled = session.waitAll(Duration.ofSeconds(60))

        then: 'the wait fetched the run, then stopped the instance and said why'
        settled
        session.runs()*.state() == [RunState.DONE]
        Files.readString(ws.resolve('results/late/slow/1/o.txt')) == 'slow\n'
        states(session) == [InstanceState.STOPPED]
        autoStopLines() == ['auto_stop: every run is finished and fetched, stopping box (auto_stop false keeps them up)']
        agentLoops().isEmpty()

        cleanup:
        session?.close()
    }

    def "rounds of advance() that reach the end stop the instances, once"() {
        given:
        def session = open('rounds', '', sleeper('quick', 0.1))
        session.start()
        session.deploy()
        session.submit()

        when:
        def deadline = System.nanoTime() + 30_000_000_000L
        boolean settled = false
        while (!settled && System.nanoTime() < deadline) {
            settled = session.advance()
            Thread.sleep(100)
        }
        session.advance()

        then:
        settled
        states(session) == [InstanceState.STOPPED]
        autoStopLines().size() == 1

        cleanup:
        session?.close()
    }

    def "with auto_stop false the instances stay up after every run finished"() {
        given:
        def session = open('keep', 'autoStop false;', sleeper('quick', 0.1))

        when:
        def finished = session.runAll(Duration.ofSeconds(60))

        then:
        finished
        states(session) == [InstanceState.RUNNING]
        autoStopLines().isEmpty()
        !agentLoops().isEmpty()

        cleanup:
        session?.stop()
        session?.close()
    }

    def "a job submitted after an auto stop starts the instance again and runs"() {
        given:
        def session = open('again', '', sleeper('first', 0.1))
        session.runAll(Duration.ofSeconds(60))
        assert states(session) == [InstanceState.STOPPED]

        when:
        def job = session.submit(name: 'second', run_command: 'echo 2 > two.txt', output_files: 'two.txt')

        then: 'the instance is up again'
        states(session) == [InstanceState.RUNNING]

        when:
        def finished = session.awaitAll()

        then: 'the job ran there, and the end of the work stopped the instance again'
        finished
        job.state() == RunState.DONE
        Files.readString(job.output('two.txt')) == '2\n'
        states(session) == [InstanceState.STOPPED]
        autoStopLines().size() == 2

        cleanup:
        session?.close()
    }
}
