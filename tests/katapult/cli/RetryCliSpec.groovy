package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.session.Session
import katapult.state.StateStore
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** `katapult retry`: ABORTED runs go again as new attempts, DONE runs never; `wait` picks them up. */
@Timeout(120)
@Tag('e2e')
class RetryCliSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    CliSpec.Outcome inWs(String... args) {
        CliSpec.katapult(*([args[0], '-C', ws.toString()] + (args.drop(1) as List)))
    }

    Map statusJson() {
        new ObjectMapper().readValue(inWs('status', '--json').out(), Map)
    }

    Map run(Map status, String job, int repeat) {
        status.runs.find { it.job == job && it.repeat == repeat } as Map
    }

    /** good runs once per repeat, counted; bad fails until the file `fixed` exists; late waits for bad. */
    Path config() {
        Files.writeString(ws.resolve('flaky.groovy'), """katapult {
            project 'flaky'
            instance { name 'box'; cpus 2 }
            job { name 'good'; runCommand 'echo x >> ${ws}/good.count; echo g > g.txt'; outputFiles 'g.txt'; repeat 2 }
            job { name 'bad'; runCommand 'test -f ${ws}/fixed || exit 3; echo b > b.txt'; outputFiles 'b.txt' }
            job { name 'late'; after 'bad'; runCommand 'echo l > l.txt'; outputFiles 'l.txt' }
        }""")
    }

    def "retry --failed re-queues the failed run and the run that waited for it; wait runs them; DONE runs never run again"() {
        given:
        def first = inWs('run', config().toString())

        expect: 'bad failed, late could never start, good is DONE'
        first.code() == ExitCodes.FAILED
        run(statusJson(), 'bad', 1).state == 'ABORTED'
        run(statusJson(), 'late', 1).state == 'ABORTED'
        run(statusJson(), 'good', 1).state == 'DONE'

        when: 'a job the project does not have'
        def typo = inWs('retry', 'bda')

        then: 'a clear error with the job meant, and nothing changed'
        typo.code() == ExitCodes.FAILED
        typo.err().contains("no job 'bda' in project flaky; did you mean 'bad'?")
        !typo.err().contains('Exception')
        run(statusJson(), 'bad', 1).state == 'ABORTED'

        when: 'the cause is fixed and the failed runs are re-queued'
        Files.writeString(ws.resolve('fixed'), '')
        def retry = inWs('retry', '--failed', '--json')
        def json = new ObjectMapper().readValue(retry.out(), Map)

        then: 'one JSON document naming the re-queued runs as new attempts'
        retry.code() == ExitCodes.OK
        json.project == 'flaky'
        json.failedOnly == true
        json.job == null
        json.requeued.collect { "${it.job}/${it.repeat}:${it.state}:${it.attempt}" } as Set == ['bad/1:WAIT:2', 'late/1:WAIT:2'] as Set
        json.requeued.every { it.rid == "${it.uid}.2" && it.reason == null }
        json.unfetched == []
        run(statusJson(), 'good', 1).attempt == 1

        when:
        def wait = inWs('wait')
        def status = statusJson()

        then: 'wait ran them; good was not run again'
        wait.code() == ExitCodes.OK
        status.runs*.state.every { it == 'DONE' }
        run(status, 'bad', 1).attempt == 2
        run(status, 'good', 2).attempt == 1
        Files.readAllLines(ws.resolve('good.count')).size() == 2
        Files.readString(ws.resolve('results/flaky/late/1/l.txt')) == 'l\n'

        when: 'nothing is left to retry'
        def again = inWs('retry')

        then:
        again.code() == ExitCodes.OK
        again.out().contains('nothing to retry in project flaky')
        statusJson().runs*.attempt == [1, 1, 2, 2]
    }

    def "retry JOB narrows to that job"() {
        given:
        inWs('run', config().toString())

        when:
        def onlyLate = inWs('retry', 'late')

        then: 'late alone goes again: it waits for bad, still ABORTED, so it is ABORTED again at the next round'
        onlyLate.code() == ExitCodes.OK
        onlyLate.out().contains('re-queued late/1 (attempt 2)')
        !onlyLate.out().contains('bad/1')
        run(statusJson(), 'bad', 1).attempt == 1
    }

    def "retry refuses while another Katapult drives the project, changing nothing"() {
        given:
        inWs('run', config().toString())
        def before = Files.readString(ws.resolve('.katapult/flaky/state.json'))
        def held = StateStore.open(Session.stateDir(ws, 'flaky'))

        when:
        def retry = inWs('retry')

        then:
        retry.code() == ExitCodes.FAILED
        retry.err().contains('another Katapult')
        Files.readString(ws.resolve('.katapult/flaky/state.json')) == before

        cleanup:
        held?.close()
    }

    def "while a session runs in another process retry is refused; after that process is killed (SIGKILL) retry and wait go on"() {
        given: 'bad fails at once while slow still runs'
        def file = Files.writeString(ws.resolve('live.groovy'), """katapult {
            project 'live'
            instance { name 'box'; cpus 2 }
            job { name 'slow'; runCommand 'sleep 4; echo s > s.txt'; outputFiles 's.txt' }
            job { name 'bad'; runCommand 'test -f ${ws}/fixed || exit 3; echo b > b.txt'; outputFiles 'b.txt' }
        }""")
        Process other = KatapultJvm.start(ws, ['run', file.toString()])
        long deadline = System.currentTimeMillis() + 60_000
        while (System.currentTimeMillis() < deadline && !(Files.exists(ws.resolve('.katapult/live/state.json'))
                && run(statusJson(), 'bad', 1)?.state == 'ABORTED')) {
            Thread.sleep(200)
        }

        when:
        def refused = inWs('retry', '--failed')

        then: 'the other process drives the project: nothing changes'
        other.alive
        run(statusJson(), 'bad', 1).state == 'ABORTED'
        refused.code() == ExitCodes.FAILED
        refused.err().contains('another Katapult')
        run(statusJson(), 'bad', 1).attempt == 1

        when: 'that process is killed, the cause fixed, the failed run re-queued and waited for'
        other.destroyForcibly().waitFor()
        Files.writeString(ws.resolve('fixed'), '')
        def retry = inWs('retry', '--failed')
        def wait = inWs('wait')
        def status = statusJson()

        then:
        retry.code() == ExitCodes.OK
        retry.out().contains('re-queued bad/1 (attempt 2)')
        !retry.out().contains('slow')
        wait.code() == ExitCodes.OK
        run(status, 'bad', 1).state == 'DONE'
        run(status, 'bad', 1).attempt == 2
        run(status, 'slow', 1).state == 'DONE'
        run(status, 'slow', 1).attempt == 1
        Files.readString(ws.resolve('results/live/slow/1/s.txt')) == 's\n'

        cleanup:
        other?.destroyForcibly()
    }
}
