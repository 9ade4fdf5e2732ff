package katapult.repl

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.LeftoverProcesses
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * End to end on a real terminal: `katapult repl` runs as its own JVM inside tmux; keys go in with send-keys and the
 * screen is read with capture-pane. (.ci/run installs tmux; without it this spec is skipped.)
 */
@Timeout(180)
@Requires(value = { ReplTmuxSpec.tmuxPresent() }, reason = 'tmux is not installed (apt-get install tmux; .ci/run does it as root)')
@Tag('e2e')
class ReplTmuxSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    static boolean tmuxPresent() {
        try {
            def p = new ProcessBuilder('tmux', '-V').redirectErrorStream(true).start()
            p.inputStream.text
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
        } catch (IOException ignored) {
            return false
        }
    }

    Path socket() {
        ws.resolve('tmux.sock')
    }

    String tmux(String... args) {
        def p = new ProcessBuilder(['tmux', '-S', socket().toString()] + (args as List)).redirectErrorStream(true).start()
        def text = p.inputStream.text
        assert p.waitFor(20, TimeUnit.SECONDS)
        assert p.exitValue() == 0: "tmux ${args.join(' ')}: $text"
        text
    }

    String screen() {
        tmux('capture-pane', '-p', '-t', 'k', '-S', '-200')
    }

    /** Waits until the screen shows what {@code seen} accepts; returns the screen. */
    String awaitScreen(String what, long seconds = 60, Closure<Boolean> seen) {
        long deadline = System.currentTimeMillis() + seconds * 1000
        String last = ''
        while (System.currentTimeMillis() < deadline) {
            last = screen()
            if (seen(last)) {
                return last
            }
            Thread.sleep(200)
        }
        throw new AssertionError("the screen never showed $what; it shows:\n$last")
    }

    def "prompt, Tab completes a job name, status prints the table, Ctrl-D leaves cleanly"() {
        given:
        def config = Files.writeString(ws.resolve('lab.groovy'), '''katapult {
            project 'lab'
            instance { name 'box'; cpus 2 }
            job 'greeting', { runCommand 'echo "hello from $KATAPULT_RUN_ID"'; repeat 1 }
            job 'other', { runCommand 'true' }
        }''')
        def java = ProcessHandle.current().info().command().orElse('java')
        def command = [java, '-cp', System.getProperty('java.class.path'), 'katapult.cli.Main', 'repl', '-C', ws.toString(),
                       '--history', ws.resolve('history').toString(), config.toString()]
                .collect { "'" + it.replace("'", "'\\''") + "'" }.join(' ')
        def shell = "$command; echo \"REPL EXITED \$?\"; sleep 60"

        when: 'the REPL starts in a terminal of 150x50'
        tmux('new-session', '-d', '-s', 'k', '-x', '150', '-y', '50', shell)
        awaitScreen('the prompt') { it.contains('katapult:lab>') }

        and: 'the session runs'
        tmux('send-keys', '-t', 'k', 'run', 'Enter')
        awaitScreen('the end of run') { it.contains('results in ') && it.trim().endsWith('katapult:lab>') }

        and: 'Tab completes the job name'
        tmux('send-keys', '-t', 'k', 'logs gree', 'Tab')
        def completed = awaitScreen('the completed name') { it.contains('katapult:lab> logs greeting') }

        and: 'a run number typed right after the completed name makes one word: no space was inserted'
        tmux('send-keys', '-t', 'k', '/1', 'Enter')
        def logs = awaitScreen('the logs') { it.contains('hello from ') }

        and: 'status prints the table'
        tmux('send-keys', '-t', 'k', 'status', 'Enter')
        def status = awaitScreen('the status table') { it =~ /greeting\/1\s+\S+\s+box\s+DONE/ && it.contains('2 DONE (2 runs)') }

        and: 'Ctrl-C stops the running line, not the REPL'
        tmux('send-keys', '-t', 'k', 'println "sleeping"; Thread.sleep(120000); println "not stopped"', 'Enter')
        awaitScreen('the line running') { it.readLines()*.trim().contains('sleeping') }
        tmux('send-keys', '-t', 'k', 'C-c')
        def stopped = awaitScreen('the stopped line') { it.contains('interrupted') && it.trim().endsWith('katapult:lab>') }

        and: 'watch redraws the table until a key is pressed'
        tmux('send-keys', '-t', 'k', 'clear', 'Enter')
        tmux('send-keys', '-t', 'k', 'watch', 'Enter')
        def watching = awaitScreen('the live view') { it.contains('press any key to stop watching') && it.contains('watching for') }
        tmux('send-keys', '-t', 'k', 'x')
        awaitScreen('the prompt after watch') { it.trim().endsWith('katapult:lab>') }

        and: 'Ctrl-D leaves'
        tmux('send-keys', '-t', 'k', 'C-d')
        def end = awaitScreen('the exit') { it.contains('REPL EXITED') }

        then:
        completed.contains('logs greeting')
        logs.contains('--- stdout')
        status.contains('RUN ')
        status.contains('INSTANCE')
        watching.contains('2 DONE (2 runs)')
        !stopped.readLines().any { it.trim() == 'not stopped' }
        end.contains('REPL EXITED 0')
        !end.contains('Exception')
        Files.readString(ws.resolve('history')).contains('status')

        cleanup:
        try {
            tmux('kill-server')
        } catch (Throwable ignored) {
        }
    }

    def "an event during watch is printed on a line of its own, above the live view"() {
        given:
        def config = Files.writeString(ws.resolve('slow.groovy'), '''katapult {
            project 'slow'
            instance { name 'box'; cpus 1 }
            job 'nap', { runCommand 'sleep 6' }
        }''')
        def java = ProcessHandle.current().info().command().orElse('java')
        def command = [java, '-cp', System.getProperty('java.class.path'), 'katapult.cli.Main', 'repl', '-C', ws.toString(),
                       '--history', ws.resolve('history').toString(), config.toString()]
                .collect { "'" + it.replace("'", "'\\''") + "'" }.join(' ')

        when: 'the run is sent off, then watched until it ends'
        tmux('new-session', '-d', '-s', 'k', '-x', '150', '-y', '50', "$command; sleep 60")
        awaitScreen('the prompt') { it.contains('katapult:slow>') }
        tmux('send-keys', '-t', 'k', 'start', 'Enter')
        awaitScreen('the start') { it.trim().endsWith('katapult:slow>') && it.contains('start') }
        tmux('send-keys', '-t', 'k', 'submit', 'Enter')
        awaitScreen('the submit') { it.contains('submit') && it.trim().endsWith('katapult:slow>') }
        tmux('send-keys', '-t', 'k', 'watch', 'Enter')
        awaitScreen('the live view') { it.contains('press any key to stop watching') }
        def shown = awaitScreen('the run\'s end') { it.contains('→ DONE') && it.contains('1 DONE') }
        tmux('send-keys', '-t', 'k', 'x')

        then: 'the event has its own line, and the hint its own'
        def lines = shown.readLines()
        lines.any { it.startsWith('[run] nap/1 on box: ') && it.endsWith('→ DONE') }
        lines.findAll { it.contains('press any key to stop watching') }.every { it.trim() == 'press any key to stop watching' }

        cleanup:
        try {
            tmux('kill-server')
        } catch (Throwable ignored) {
        }
    }
}
