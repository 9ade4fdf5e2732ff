package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Katapult as its own JVM, killed with SIGKILL at a moment of the session, then run again: every run executes
 * exactly once and every output is fetched.
 */
@Timeout(240)
@Tag('e2e')
class KillResumeSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    static final int RUNS = 4

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List)
    }

    def "killed #moment, Katapult resumes: each run executed once, every output fetched"() {
        given:
        def config = Files.writeString(ws.resolve('kill.groovy'), """katapult {
            project 'kill'
            instance { cpus $RUNS }
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 3; echo "\$KATAPULT_RUN_ID" > out.txt'
                outputFiles 'out.txt'
                repeat $RUNS
            }
        }""")

        when: 'the first Katapult is killed with SIGKILL'
        def first = katapult('run', config.toString())
        def deadline = System.currentTimeMillis() + 60_000
        while (!killNow(moment) && first.alive && System.currentTimeMillis() < deadline) {
            sleep 20
        }
        def wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        and: 'it is run again'
        def second = katapult('run', config.toString())
        def finished = second.waitFor(120, TimeUnit.SECONDS)

        then:
        wasAlive
        finished
        second.exitValue() == 0
        executions().size() == RUNS
        executions().toSet().size() == RUNS
        (1..RUNS).every { Files.exists(ws.resolve("results/kill/work/$it/out.txt")) }

        where:
        moment << ['as soon as its state exists', 'while runs are RUNNING', 'after some runs finished']
    }

    boolean killNow(String moment) {
        switch (moment) {
            case 'as soon as its state exists': return Files.exists(ws.resolve('.katapult/kill/state.json'))
            case 'while runs are RUNNING': return executions().size() == RUNS
            default:
                // the snapshot and the journal of the saves since: a killed Katapult never folds the journal in
                return ['state.json', 'state.journal'].collect { ws.resolve(".katapult/kill/$it") }
                        .any { Files.exists(it) && Files.readString(it).contains('"DONE"') }
        }
    }
}
