package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.LeftoverProcesses
import katapult.state.StateStore
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

@Timeout(120)
@Tag('e2e')
class CliSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    record Outcome(int code, String out, String err) { }

    static Outcome katapult(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), args)
        new Outcome(code, out.toString(), err.toString())
    }

    Outcome inWs(String... args) {
        katapult(*([args[0], '-C', ws.toString()] + (args.drop(1) as List)))
    }

    static final List<String> COMMANDS = ['run', 'check', 'init', 'add', 'start', 'deploy', 'submit', 'status',
                                          'wait', 'watch', 'logs', 'fetch', 'stop', 'down', 'retry', 'repl', 'script']

    /** Config files under examples/; the Groovy scripts there use the scripting API instead (ExamplesSpec runs them). */
    static List<Path> exampleConfigs() {
        Files.list(Path.of('examples')).filter { it.toString().endsWith('.groovy') && !ExamplesSpecSupport.isScript(it) }
                .sorted().toList()
    }

    def "every command explains itself with --help: #command"() {
        when:
        def result = katapult(command, '--help')

        then:
        result.code() == 0
        result.out().contains("Usage: katapult $command")

        where:
        command << COMMANDS
    }

    def "katapult with no command lists the commands"() {
        when:
        def result = katapult()

        then:
        result.code() == 0
        COMMANDS.every { result.out().contains(it) }
    }

    def "an unknown option is a usage error with a hint"() {
        when:
        def result = katapult('status', '--nope')

        then:
        result.code() == 2
        result.err().contains("Unknown option: '--nope'")
        result.err().contains('katapult status --help')
    }

    def "a mistyped command is a usage error that suggests the command meant"() {
        when:
        def result = katapult('stauts')

        then:
        result.code() == 2
        result.err().contains("Unmatched argument at index 0: 'stauts'")
        result.err().readLines().find { it.startsWith('Did you mean: ') }.contains('katapult status')
        result.err().contains('katapult --help')
    }

    def "every example passes check: #example"() {
        when:
        def result = katapult('check', example.toString())

        then:
        result.code() == 0
        result.out().contains('valid')

        where:
        example << exampleConfigs()
    }

    def "check --json tells the verdict as JSON"() {
        when:
        def result = katapult('check', '--json', 'examples/hello.groovy')
        def json = new ObjectMapper().readValue(result.out(), Map)

        then:
        json.valid == true
        json.project == 'hello'
        json.runs == 4
    }

    def "a bad config gives file:line, exit code 2 and no stack trace: #fixture.fileName"() {
        when:
        def result = katapult('check', fixture.toString())

        then:
        result.code() == 2
        result.err() =~ /(?m)^\Q${fixture}\E:\d+: /
        !result.err().contains('Exception')
        !result.err().contains('\tat ')
        result.err().contains('nothing was started')

        where:
        fixture << Files.list(Path.of('tests/fixtures/bad')).filter { it.toString().endsWith('.groovy') }.sorted().toList()
    }

    def "run, status, logs, fetch and down work a project from the command line"() {
        given:
        def config = Files.writeString(ws.resolve('cli.groovy'), '''katapult {
            project 'cli'
            autoStop false
            instance { cpus 2 }
            job { name 'hi'; runCommand 'echo "hello $KATAPULT_RUN_ID"; echo out > o.txt'; outputFiles 'o.txt'; repeat 2 }
        }''')

        when:
        def run = inWs('run', config.toString())

        then:
        run.code() == 0
        run.out().contains('hi/1')
        run.out().contains('2 DONE')
        run.err().contains('[start]')
        run.err().contains('[submit]')

        when:
        def status = inWs('status', '--json')
        def json = new ObjectMapper().readValue(status.out(), Map)

        then:
        status.code() == 0
        json.project == 'cli'
        json.live == true
        json.runs*.state == ['DONE', 'DONE']
        json.counts == [DONE: 2]
        json.runs.every { it.attempt == 1 && it.retries == 0 && it.preemptions == 0 && it.halts == 0 }

        when:
        def logs = inWs('logs', 'hi/2')

        then:
        logs.code() == 0
        logs.out().contains('--- stdout')
        logs.out() =~ /hello \w+-2\.1/
        logs.err() =~ /run \w+-2\.1: attempt 1 \(0 of them retries after a failure\), 0 preemption\(s\), 0 halt\(s\)/

        when:
        def logsJson = new ObjectMapper().readValue(inWs('logs', 'hi/1', '--json').out(), Map)
        def abortedJson = new ObjectMapper().readValue(inWs('logs', '--json').out(), Map)

        then:
        logsJson.job == 'hi'
        logsJson.repeat == 1
        logsJson.state == 'DONE'
        [logsJson.attempt, logsJson.retries, logsJson.preemptions, logsJson.halts] == [1, 0, 0, 0]
        logsJson.stdout =~ /hello \w+-1\.1/
        logsJson.stderr == ''
        abortedJson == [project: 'cli', aborted: []]
        inWs('logs', 'hi/1', '--json', '-f').code() == 2

        when: 'watch without a terminal prints the table once every run is finished'
        def watch = inWs('watch')

        then:
        watch.code() == 0
        watch.out().contains('2 DONE')

        when:
        def fetch = inWs('fetch', ws.resolve('copy').toString())

        then:
        fetch.code() == 0
        Files.exists(ws.resolve('copy/hi/1/o.txt'))

        when:
        def down = inWs('down')

        then:
        down.code() == 0
        !Files.exists(ws.resolve('.katapult/cli/local/local-1'))
        inWs('status').out().contains('2 DONE')
    }

    def "step by step: init, start, deploy, submit, wait"() {
        given:
        def config = Files.writeString(ws.resolve('steps.groovy'), '''katapult {
            project 'steps'
            instance { cpus 1 }
            job { name 'one'; runCommand 'echo 1 > one.txt'; outputFiles 'one.txt' }
        }''')

        expect:
        inWs('init', config.toString()).code() == 0
        inWs('start').code() == 0
        inWs('deploy').code() == 0
        inWs('submit').code() == 0
        inWs('wait').code() == 0
        Files.readString(ws.resolve('results/steps/one/1/one.txt')) == '1\n'
    }

    def "a failing job makes run exit 1 and shows the aborted run's stderr"() {
        when:
        def result = inWs('run', Path.of('examples/fails.groovy').toAbsolutePath().toString())

        then:
        result.code() == 1
        result.out().contains('ABORTED')
        result.out().contains('error: the input is missing')
        result.out().contains('exit code 3')
    }

    def "a project already driven by another Katapult is refused with a clear message"() {
        given:
        def config = Files.writeString(ws.resolve('busy.groovy'), "katapult { project 'busy'; job { runCommand 'true' } }")
        def store = StateStore.open(ws.resolve('.katapult/busy'))

        when:
        def result = inWs('run', config.toString())

        then:
        result.code() == 1
        result.err().contains('another Katapult')
        !result.err().contains('\tat ')

        cleanup:
        store.close()
    }

    def "a corrupt state file is named and left as it was"() {
        given:
        def config = Files.writeString(ws.resolve('broken.groovy'), "katapult { project 'broken'; job { runCommand 'true' } }")
        Files.createDirectories(ws.resolve('.katapult/broken'))
        def state = Files.writeString(ws.resolve('.katapult/broken/state.json'), '{ not json')

        when:
        def result = inWs('run', config.toString())

        then:
        result.code() == 1
        result.err().contains(state.toString())
        Files.readString(state) == '{ not json'
    }

    def "commands without a project say how to start one"() {
        when:
        def result = inWs('status')

        then:
        result.code() == 1
        result.err().contains('katapult init CONFIG')
    }
}
