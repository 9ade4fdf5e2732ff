package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.LeftoverProcesses
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * {@code run --reset} on the local provider: the project's remote folder is cleaned, the agent and the files go
 * again, a DONE run is not run again, and a run in progress goes again.
 */
@Timeout(120)
@Tag('e2e')
class ResetSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    record Outcome(int code, String out, String err) { }

    Outcome katapult(String command, String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true),
                *([command, '-C', ws.toString()] + (args as List)))
        new Outcome(code, out.toString(), err.toString())
    }

    /** The instance's home is its sandbox; the project's remote folder is ~/.katapult/<project> there. */
    Path remoteRoot() {
        ws.resolve('.katapult/rs/local/local-1/.katapult/rs')
    }

    Path config(String jobs) {
        Files.writeString(ws.resolve('shared.txt'), 'shared\n')
        Files.writeString(ws.resolve('rs.py'), """config = {
    'project': 'rs',
    'instances': [ { 'cpus': 2 } ],
    'jobs': [
$jobs
    ],
}
""")
    }

    static final String FAST = "        { 'name': 'fast', 'run_command': 'cat shared.txt > o.txt', 'upload_files': 'shared.txt', " +
            "'output_files': 'o.txt' },"

    Map runOf(String job) {
        def status = new ObjectMapper().readValue(katapult('status', '--json').out(), Map)
        status.runs.find { it.job == job } as Map
    }

    List<String> remoteRuns() {
        def runs = remoteRoot().resolve('instances/local-1/runs')
        Files.isDirectory(runs) ? Files.list(runs).withCloseable { s -> s.map { it.fileName.toString() }.toList() } : []
    }

    def "reset cleans the remote folder and uploads again; the DONE run is not run again"() {
        given: 'a project whose job is DONE, and a file left in its remote folder'
        def cfg = config(FAST)
        assert katapult('run', cfg.toString()).code() == 0
        def fastRid = runOf('fast').rid
        assert remoteRuns() == [fastRid]
        def left = Files.writeString(remoteRoot().resolve('left-over'), 'x')
        def fastResult = ws.resolve('results/rs/fast/1/o.txt')
        def fetchedAt = Files.getLastModifiedTime(fastResult)

        when: 'a second job joins, and run --reset goes'
        config(FAST + "\n        { 'name': 'more', 'run_command': 'cat shared.txt > m.txt', " +
                "'upload_files': 'shared.txt', 'output_files': 'm.txt' },")
        def reset = katapult('run', '--reset', cfg.toString())

        then:
        reset.code() == 0
        reset.err().contains('[reset] local-1: removed ~/.katapult/rs')
        !Files.exists(left)
        Files.isRegularFile(remoteRoot().resolve('instances/local-1/bin/agent.sh'))  // the agent, installed again
        Files.list(remoteRoot().resolve('files')).withCloseable { it.count() } == 1   // shared.txt, uploaded again
        runOf('fast').state == 'DONE'
        runOf('fast').rid == fastRid
        runOf('fast').attempt == 1
        !remoteRuns().contains(fastRid)                                                 // not run again
        Files.getLastModifiedTime(fastResult) == fetchedAt
        runOf('more').state == 'DONE'
        Files.readString(ws.resolve('results/rs/more/1/m.txt')) == 'shared\n'
    }

    def "a run in progress is stopped by the reset and goes again as a new attempt"() {
        given: 'a run still going when its run gives up waiting'
        def cfg = config("        { 'name': 'slow', 'run_command': 'sleep 4; echo s > s.txt', 'output_files': 's.txt' },")
        assert katapult('run', '--timeout', '1s', cfg.toString()).code() == ExitCodes.TIMEOUT
        def first = runOf('slow')
        assert first.state in ['RUNNING', 'IDLE', 'QUEUE', 'WAIT']

        when:
        def reset = katapult('run', '--reset', cfg.toString())

        then:
        reset.code() == 0
        runOf('slow').state == 'DONE'
        runOf('slow').attempt == 2
        remoteRuns() == [runOf('slow').rid]
        !remoteRuns().contains(first.rid)
    }

    def "reset on a project without instances yet just runs"() {
        when:
        def reset = katapult('run', '--reset', config(FAST).toString())

        then:
        reset.code() == 0
        reset.err().contains('nothing to clean')
        runOf('fast').state == 'DONE'
    }
}
