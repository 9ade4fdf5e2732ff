package katapult.session

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.state.RunState
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** max_retries on the local provider: a failed run goes again as a new attempt, up to max_retries times. */
@Timeout(120)
@Tag('e2e')
class RetriesSpec extends Specification {

    @TempDir
    Path ws

    List<Event> events = []

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Session open(String body) {
        Session.open(ws, Files.writeString(ws.resolve('retries.groovy'), body), { events << it })
    }

    Path tries() {
        ws.resolve('tries.txt')
    }

    def "a failing job is retried max_retries times, a new attempt each, then stays ABORTED"() {
        given:
        def session = open("""
        katapult {
            project 'retries'
            autoStop false
            instance { name 'box'; cpus 1 }
            job { name 'bad'; runCommand 'echo "\$KATAPULT_RUN_ID" >> ${tries()}; exit 3'; maxRetries 2 }
        }
        """)

        when:
        session.runAll(Duration.ofSeconds(60))
        def run = session.runs()[0].run()

        then:
        Files.readAllLines(tries()) == [run.uid() + '.1', run.uid() + '.2', run.uid() + '.3']
        run.state() == RunState.ABORTED
        run.attempt() == 3
        run.retries() == 2
        run.exit() == 3
        run.reason() == 'exit code 3'

        cleanup:
        session?.close()
    }

    def "a job failing once is DONE on its retry; without max_retries it stays ABORTED at once"() {
        given:
        def session = open("""
        katapult {
            project 'retries'
            autoStop false
            instance { name 'box'; cpus 2 }
            job { name 'flaky'; runCommand '[ -e ${ws}/once ] || { touch ${ws}/once; exit 1; }; echo ok > out.txt'
                  outputFiles 'out.txt'; maxRetries 1 }
            job { name 'plain'; runCommand 'echo "\$KATAPULT_RUN_ID" >> ${tries()}; exit 5' }
        }
        """)

        when:
        session.runAll(Duration.ofSeconds(60))
        def flaky = session.runs().find { it.run().job() == 'flaky' }.run()
        def plain = session.runs().find { it.run().job() == 'plain' }.run()

        then:
        flaky.state() == RunState.DONE
        flaky.attempt() == 2
        flaky.fetched()
        Files.readString(session.resultsFolder().resolve('flaky/1/out.txt')).trim() == 'ok'
        plain.state() == RunState.ABORTED
        plain.attempt() == 1
        Files.readAllLines(tries()).size() == 1

        cleanup:
        session?.close()
    }
}
