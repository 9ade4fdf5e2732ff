package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.LeftoverProcesses
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** auto_stop from the command line: `run --timeout` then `wait`, and `add` then `wait` on the stopped instance. */
@Timeout(120)
@Tag('e2e')
class AutoStopCliSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    CliSpec.Outcome inWs(String... args) {
        CliSpec.katapult(*([args[0], '-C', ws.toString()] + (args.drop(1) as List)))
    }

    List<String> instanceStatuses() {
        def json = new ObjectMapper().readValue(inWs('status', '--json').out(), Map)
        json.instances*.status
    }

    def "run --timeout leaves the instance up; the wait that sees every run finished stops it; add + wait starts it again"() {
        given:
        def config = Files.writeString(ws.resolve('late.groovy'), '''katapult {
            project 'late'
            instance { name 'box'; cpus 1 }
            job { name 'slow'; runCommand 'sleep 3; echo s > s.txt'; outputFiles 's.txt' }
        }''')
        def more = Files.writeString(ws.resolve('more.groovy'), '''katapult {
            job { name 'more'; runCommand 'echo m > m.txt'; outputFiles 'm.txt' }
        }''')

        when:
        def run = inWs('run', '--timeout', '1s', config.toString())

        then: 'the timeout stops nothing'
        run.code() == ExitCodes.TIMEOUT
        !run.err().contains('auto_stop')
        instanceStatuses() == ['RUNNING']

        when:
        def wait = inWs('wait')

        then: 'the wait fetched the run, then stopped the instance, saying so'
        wait.code() == ExitCodes.OK
        Files.readString(ws.resolve('results/late/slow/1/s.txt')) == 's\n'
        wait.err().contains('auto_stop: every run is finished and fetched, stopping box')
        instanceStatuses() == ['STOPPED']

        when: 'a job added to the stopped project runs with the next wait'
        def add = inWs('add', more.toString())
        def again = inWs('wait')

        then: 'the instance was started again for it, and stopped again at the end'
        add.code() == ExitCodes.OK
        again.code() == ExitCodes.OK
        Files.readString(ws.resolve('results/late/more/1/m.txt')) == 'm\n'
        again.err().contains('auto_stop: every run is finished and fetched, stopping box')
        instanceStatuses() == ['STOPPED']
    }
}
