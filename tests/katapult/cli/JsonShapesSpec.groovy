package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.ObjectMapper
import katapult.LeftoverProcesses
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Every command's --json: exactly one JSON document on stdout (progress on stderr), with the fields README documents,
 * and the exit code the command has without --json.
 */
@Timeout(120)
@Tag('e2e')
class JsonShapesSpec extends Specification {

    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    CliSpec.Outcome inWs(String... args) {
        CliSpec.katapult(*([args[0], '-C', ws.toString()] + (args.drop(1) as List)))
    }

    /** The whole of stdout as one JSON object: fails on anything before or after it. */
    static Map doc(CliSpec.Outcome outcome) {
        STRICT.readValue(outcome.out(), Map)
    }

    Path config(String more = '') {
        Files.writeString(ws.resolve('shapes.groovy'), """katapult {
            project 'shapes'
            instance { name 'box'; cpus 2 }
            job { name 'sq'; runCommand 'echo said; echo x > o.txt'; outputFiles 'o.txt'; repeat 2 }
            ${more}
        }""")
    }

    static final List<String> RUN_KEYS = ['job', 'repeat', 'uid', 'rid', 'attempt', 'retries', 'preemptions', 'halts',
                                          'instance', 'state', 'exit', 'start', 'end', 'elapsed', 'reason', 'fetched',
                                          'stderrTail']
    static final List<String> TABLE_ROW_KEYS = ['run', 'uid', 'params', 'state', 'exit', 'attempts', 'start', 'end',
                                                'duration', 'instance', 'cost', 'metrics']

    def "init --json and add --json: the plan in numbers"() {
        given:
        def more = Files.writeString(ws.resolve('more.groovy'), '''katapult {
            job { name 'extra'; runCommand 'echo e > e.txt'; outputFiles 'e.txt'; repeat 3 }
        }''')

        when:
        def init = inWs('init', '--json', config().toString())
        def add = inWs('add', '--json', more.toString())

        then:
        init.code() == ExitCodes.OK
        doc(init) == [project: 'shapes', instances: 1, jobs: 1, runs: 2, added: null]
        add.code() == ExitCodes.OK
        doc(add) == [project: 'shapes', instances: 1, jobs: 2, runs: 5, added: 3]
    }

    def "run --json: the outcome, the results folder, then the shape of status --json"() {
        when:
        def run = inWs('run', '--json', config().toString())
        Map json = doc(run)

        then: 'progress went to stderr, the summary table nowhere'
        run.code() == ExitCodes.OK
        json.keySet() as List == ['outcome', 'results', 'project', 'live', 'instances', 'runs', 'counts', 'jobs']
        json.outcome == 'done'
        json.results == ws.resolve('results/shapes').toAbsolutePath().normalize().toString()
        json.project == 'shapes'
        json.instances*.name == ['box']
        json.runs.size() == 2
        json.runs.every { (it as Map).keySet() as List == RUN_KEYS && it.state == 'DONE' && it.fetched }
        json.counts == [DONE: 2]
        !run.out().contains('DONE  ')
    }

    def "run --json and wait --json keep their exit codes: aborted is 1, a timeout 3"() {
        when:
        def run = inWs('run', '--json', config("job { name 'bad'; runCommand 'exit 4' }").toString())

        then:
        run.code() == ExitCodes.FAILED
        doc(run).outcome == 'aborted'
        doc(run).runs.find { it.job == 'bad' }.exit == 4

        when:
        Files.writeString(ws.resolve('slow.groovy'), '''katapult {
            job { name 'slow'; runCommand 'sleep 5' }
        }''')
        inWs('add', ws.resolve('slow.groovy').toString())
        def wait = inWs('wait', '--json', '--timeout', '1s')

        then:
        wait.code() == ExitCodes.TIMEOUT
        doc(wait).outcome == 'timeout'
        doc(wait).runs.find { it.job == 'slow' }.state != 'DONE'

        when:
        def waitAgain = inWs('wait', '--json')

        then: 'bad is still ABORTED: the wait ends aborted'
        waitAgain.code() == ExitCodes.FAILED
        doc(waitAgain).outcome == 'aborted'
        doc(waitAgain).counts == [DONE: 3, ABORTED: 1]
    }

    def "fetch --json: runs fetched of all, where; stop --json: the instances after; down --json: what went"() {
        given:
        inWs('run', config().toString())
        def into = ws.resolve('copy')

        when:
        def fetch = inWs('fetch', '--json', into.toString())

        then:
        fetch.code() == ExitCodes.OK
        doc(fetch) == [project     : 'shapes', folder: ws.resolve('results/shapes').toAbsolutePath().normalize().toString(),
                       into        : into.toString(), fetchedRuns: 2, runs: 2, filesCopied: null, filesPresent: null]
        Files.exists(into.resolve('sq/2/o.txt'))

        when:
        def stop = inWs('stop', '--json')

        then:
        stop.code() == ExitCodes.OK
        doc(stop).keySet() as List == ['project', 'instances', 'counts']
        doc(stop).instances == [[name: 'box', provider: 'local', status: 'STOPPED']]
        doc(stop).counts == [DONE: 2]

        when:
        def dry = inWs('down', '--json', '--dry-run')
        def down = inWs('down', '--json')

        then:
        dry.code() == ExitCodes.OK
        doc(dry).project == 'shapes'
        doc(dry).dryRun == true
        doc(dry).removed.any { it.startsWith('instance box (local ') }
        doc(dry).cost == null
        down.code() == ExitCodes.OK
        doc(down).dryRun == false
        doc(down).removed.size() == 1
        doc(down).removed[0].startsWith('instance box (local ')
        doc(down).cost == null
    }

    def "status, logs, check and plan keep their shapes"() {
        given:
        def file = config()
        inWs('run', file.toString())

        when:
        def status = doc(inWs('status', '--json'))
        def logs = doc(inWs('logs', 'sq/1', '--json'))
        def aborted = doc(inWs('logs', '--json'))
        def check = doc(CliSpec.katapult('check', '--json', file.toString()))
        def plan = doc(CliSpec.katapult('plan', '--json', file.toString()))

        then:
        status.keySet() as List == ['project', 'live', 'instances', 'runs', 'counts', 'jobs']
        status.jobs*.job == ['sq']
        status.instances[0].keySet() as List == ['name', 'provider', 'status', 'cpus', 'disk']
        status.instances[0].disk.keySet() as List == ['free', 'total']
        (status.instances[0].disk.free as long) > 0
        (status.instances[0].disk.total as long) >= (status.instances[0].disk.free as long)
        status.jobs[0].keySet() as List == ['job', 'params', 'metrics', 'runs']
        status.jobs[0].runs.every { (it as Map).keySet() as List == TABLE_ROW_KEYS }
        logs.keySet() as List == ['project', 'job', 'repeat', 'uid', 'rid', 'attempt', 'retries', 'preemptions', 'halts',
                                   'state', 'exit', 'cost', 'stdout', 'stderr']
        logs.stdout == 'said\n'
        logs.stderr == ''
        aborted == [project: 'shapes', aborted: []]
        check == [file: file.toString(), valid: true, project: 'shapes', provider: 'local', instances: 1,
                  environments: 0, jobs: 1, runs: 2]
        plan.keySet() as List == ['project', 'provider', 'instances', 'totalPerHour', 'unknownPrices']
        plan.instances*.name == ['box']
        plan.instances[0].keySet() as List == ['name', 'region', 'type', 'cpus', 'market', 'hourly', 'note']
        plan.totalPerHour == 0.0
        plan.unknownPrices == 0
    }

    def "check --json of a config with problems: valid false and each problem with its line, exit 2"() {
        given:
        def bad = Files.writeString(ws.resolve('bad.groovy'), """katapult {
            project 'bad'
            job { name 'x'; runCommand 'true'; cpuz 2 }
        }""")

        when:
        def result = CliSpec.katapult('check', '--json', bad.toString())
        Map json = doc(result)

        then:
        result.code() == ExitCodes.USAGE
        json.file == bad.toString()
        json.valid == false
        json.problems.size() == 1
        json.problems[0].file.endsWith('bad.groovy')
        json.problems[0].line == 3
        json.problems[0].message.startsWith("unknown key 'cpuz' in a job")
        result.err().contains('bad.groovy:3')
    }

    def "a command that fails with --json prints nothing on stdout and keeps its exit code"() {
        when:
        def result = inWs('retry', '--json')

        then: 'no project yet'
        result.code() == ExitCodes.FAILED
        result.out().isEmpty()
        !result.err().isEmpty()
    }
}
