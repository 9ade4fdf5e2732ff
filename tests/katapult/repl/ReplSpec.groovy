package katapult.repl

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.cli.Main
import katapult.session.Session
import katapult.state.InstanceState
import katapult.state.RunState
import org.jline.reader.Candidate
import org.jline.terminal.impl.DumbTerminal
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The REPL driven through a JLine terminal over piped input (a dumb terminal: no tty needed). */
@Timeout(120)
@Tag('e2e')
class ReplSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    /** The lab's auto_stop (false: its instance stays up for the commands that follow). */
    boolean autoStop = false

    Path config() {
        Files.writeString(ws.resolve('lab.groovy'), '''katapult {
            project 'lab'
            autoStop AUTO_STOP
            instance { name 'box'; cpus 2 }
            environment 'sh', { command 'true' }
            job 'squares', { runCommand 'echo "sq $KATAPULT_RUN_ID"; echo 4 > sq.txt'; outputFiles 'sq.txt'; repeat 2 }
            job 'fails', { runCommand 'echo "broken input" >&2; exit 3' }
        }'''.replace('AUTO_STOP', autoStop as String))
    }

    /** Runs the REPL over {@code input} (Ctrl-D at its end) and returns what the terminal showed. */
    String repl(String input, Closure<?> inspect = null, String type = 'dumb') {
        def out = new ByteArrayOutputStream()
        // a dumb terminal reads plain lines; typed as 'xterm' it edits keys as a real one does (Tab completes)
        def terminal = new DumbTerminal('test', type, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
                StandardCharsets.UTF_8)
        def repl = new Repl(terminal, ws, ws.resolve('home/.katapult/history'), Main.&commandLine as CommandTree)
        try {
            repl.open(config(), null, -1)
            repl.run()
            inspect?.call(repl)
        } finally {
            repl.close()
            terminal.close()
        }
        out.toString(StandardCharsets.UTF_8)
    }

    def "commands, Groovy over runs, an error followed by a working line, then Ctrl-D"() {
        when:
        def shown = repl('''run
status
runs.findAll { it.state == ABORTED }.each { println "tail: " + it.stderrTail }
runs.count { it.state == DONE }
1 +* 2
nosuch.size()
def x = 20
x + 1
status --json
''')

        then: 'the prompt names the project'
        shown.contains('katapult:lab> ')

        and: 'run drove the live session; status printed the table'
        shown.contains('[submit]')
        shown =~ /squares\/1\s+\S+\s+box\s+DONE/
        shown.contains('2 DONE, 1 ABORTED (3 runs)')

        and: 'Groovy sees the live runs and the run states'
        shown.contains('tail: broken input')
        shown.contains('=> 2')

        and: 'an error is one line and the REPL goes on; def persists between lines'
        shown.readLines().count { it.contains('error: syntax error') } == 1
        shown.readLines().count { it.contains('error: MissingPropertyException: No such property: nosuch') } == 1
        shown.contains('=> 21')

        and: 'status --json works inside too'
        shown.contains('"project" : "lab"')

        and: 'the history was kept'
        Files.readString(ws.resolve('home/.katapult/history')).contains('runs.count')
    }

    def "the REPL holds the project's lock and lends its session to every command"() {
        when:
        Session other = null
        def failure = null
        def shown = repl('init ' + ws.resolve('lab.groovy') + '\nsubmit\nwait\nlogs squares/2 --stdout\n') { Repl repl ->
            try {
                other = Session.resume(ws, 'lab', { })
            } catch (RuntimeException e) {
                failure = e
            }
        }

        then:
        !shown.contains('another Katapult')
        shown.contains('sq ')
        failure.message.contains('another Katapult')
        other == null
    }

    def "retry in the REPL re-queues on the REPL's own session; the next wait runs the run again"() {
        when:
        def shown = repl('run\nretry fails\nwait\nruns.find { it.job == "fails" }.run().attempt()\n')

        then:
        shown.contains('re-queued fails/1 (attempt 2)')
        !shown.contains('another Katapult')
        shown.readLines().count { it.contains('[run] fails/1') && it.contains('→ ABORTED') } == 2
        shown.contains('=> 2')
    }

    def "opened on a config, #lines without init first places the runs and runs them all"() {
        when:
        def shown = repl(lines + '\nstatus\n')

        then: 'wait does not wait for runs nobody placed'
        shown.contains('2 DONE, 1 ABORTED (3 runs)')
        !shown.contains('every run is already submitted')

        where:
        lines << ['submit\nwait --timeout 20s', 'wait --timeout 20s']
    }

    def "the REPL's wait that sees every run finished stops the instances (auto_stop)"() {
        given:
        autoStop = true
        def states = null

        when:
        repl('init ' + ws.resolve('lab.groovy') + '\nwait\n') { Repl repl ->
            states = repl.session().status().instances()*.state()
        }

        then:
        states == [InstanceState.STOPPED]
    }

    def "Tab completion lists the live session's job and run names, commands and options"() {
        given:
        def seen = [:]

        when:
        repl('') { Repl repl ->
            def reader = repl.@reader
            def complete = { String line ->
                def parsed = reader.parser.parse(line, line.length())
                List<Candidate> candidates = []
                reader.completer.complete(reader, parsed, candidates)
                candidates*.value()
            }
            seen.logs = complete('logs ')
            seen.start = complete('st')
            seen.options = complete('status --')
            seen.any = complete('fetch --dir ')
        }

        then:
        seen.logs.containsAll(['squares', 'fails', 'squares/1', 'squares/2'])
        seen.start.containsAll(['status', 'start', 'stop'])
        seen.options.contains('--json')
    }

    def "a Tab typed on the terminal completes a job name"() {
        when: 'the input holds a Tab, as a keyboard would send it'
        def shown = repl('run\nlogs squ\t/2 --stdout\n', null, 'xterm')

        then: 'squ<Tab> became squares (squares/1 and squares/2 share it), so the line ran for squares/2'
        shown =~ /sq \w+-2\.1/
    }

    def "a job name completed alone takes no trailing space, so a run number can follow it"() {
        when: 'fails<Tab>: the job fails and its run fails/1 both match'
        def shown = repl('run\nlogs fails\t/1 --stderr\n', null, 'xterm')

        then: 'the line ran for fails/1, not for "fails /1"'
        shown.contains('broken input')
        !shown.contains('unmatched')
    }

    def "job names are offered as partial words, runs and commands as whole ones"() {
        given:
        List<Candidate> candidates = []

        when:
        repl('') { Repl repl ->
            def reader = repl.@reader
            def parsed = reader.parser.parse('logs ', 5)
            reader.completer.complete(reader, parsed, candidates)
        }

        then:
        def byValue = candidates.collectEntries { [it.value(), it] }
        !byValue.squares.complete()
        byValue['squares/1'].complete()
    }

    def "definitions persist: variables, methods and imports"() {
        when:
        def shown = repl('''def greet(name) { "hello $name" }
int n = 3
String who = 'lab'
greet(who) * n
import java.util.concurrent.TimeUnit
TimeUnit.SECONDS.toMillis(n)
session.project()
jobs*.name
''')

        then:
        shown.contains('=> hello labhello labhello lab')
        shown.contains('=> 3000')
        shown.contains('=> lab')
        shown.contains('=> [squares, fails]')
        !shown.contains('error:')
    }
}
