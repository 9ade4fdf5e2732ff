package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The remote maestro end to end: the laptop's Katapult (a JVM of its own) hands the session to a maestro on an SSH
 * test host, where a real Katapult JVM drives two SSH workers; the laptop is killed with SIGKILL, and a new laptop
 * Katapult fetches the results and takes everything down.
 */
@Timeout(400)
@Tag('e2e')
class MaestroHandOffSpec extends Specification {

    static final int RUNS = 6

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    SshTestHosts.Host maestro
    Path config

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
        maestro = hosts.start('maestro')
        def workers = hosts.start(2)
        config = Files.writeString(ws.resolve('unattended.groovy'), """katapult {
            project 'unattended'
            provider 'ssh'
            maestro 'remote'
            ${hosts.instanceBlock(workers[0], 'one', 2)}
            ${hosts.instanceBlock(workers[1], 'two', 2)}
            job {
                name 'work'
                uploadFiles 'data/in.txt'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 1; cat in.txt > out.txt; echo "\$KATAPULT_RUN_ID" >> out.txt'
                outputFiles 'out.txt'
                repeat $RUNS
            }
        }""")
        Files.createDirectories(ws.resolve('data'))
        Files.writeString(ws.resolve('data/in.txt'), 'shipped input\n')
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Path maestroDir() {
        maestro.home.resolve('.katapult-maestro/unattended')
    }

    Path marker() {
        ws.resolve('.katapult/unattended/maestro.json')
    }

    Process laptop(List<String> args, boolean hang = false) {
        KatapultJvm.start(ws, args, ["-Dkatapult.test.maestro=${maestro.handle}".toString(),
                                     "-Dkatapult.test.maestro.key=${hosts.clientKey}".toString(),
                                     "-Dkatapult.test.maestro.dir=${maestro.dir}".toString(),
                                     "-Dkatapult.test.maestro.hang=${hang}".toString()],
                [KATAPULT_SSH_DIR: ws.resolve('no-user-ssh').toString()], 'katapult.maestro.MaestroChildMain')
    }

    int finish(Process p, int seconds = 240) {
        assert p.waitFor(seconds, TimeUnit.SECONDS): "laptop Katapult still running:\n${logs()}"
        p.exitValue()
    }

    String logs() {
        (Files.list(ws).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.log') }.sorted().toList() }
                .collect { "== $it.fileName\n" + Files.readString(it) } +
                (Files.exists(maestroDir().resolve('maestro.log')) ? ['== maestro.log\n' + Files.readString(maestroDir().resolve('maestro.log'))] : []))
                .join('\n')
    }

    /** Katapult processes running as the maestro (java ... katapult.cli.Main run) on the maestro host. */
    List<String> maestroProcesses() {
        LeftoverProcesses.under(maestro.home).values().findAll { it.contains('katapult.cli.Main\0run') }
    }

    void waitFor(int seconds, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (!condition() && System.currentTimeMillis() < deadline) {
            sleep 100
        }
        if (!condition()) {
            assert false, logs()
        }
    }

    Map markerJson() {
        new ObjectMapper().readValue(marker().toFile(), Map)
    }

    List<Path> outputs() {
        def dir = ws.resolve('results/unattended')
        Files.exists(dir) ? Files.walk(dir).withCloseable { s -> s.filter { it.fileName.toString() == 'out.txt' }.toList() } : []
    }

    def "handed off, the laptop killed with SIGKILL: the maestro runs the 6 jobs on 2 workers, a new laptop fetches all 6 outputs, down leaves nothing"() {
        when: 'the laptop hands the session off and is killed once the hand-off is recorded'
        def first = laptop(['run', config.toString()])
        waitFor(240) { Files.exists(marker()) && markerJson().phase == 'HANDED_OFF' }
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        then: 'Katapult runs on the maestro, as one process'
        maestroProcesses().size() == 1 || Files.exists(maestroDir().resolve('exit'))

        when: 'status from the laptop reaches the maestro'
        def status = laptop(['status'])

        then:
        finish(status) == 0
        logs().contains('maestro ' + maestro.handle)

        when: 'the maestro finishes alone'
        waitFor(240) { Files.exists(maestroDir().resolve('exit')) }

        then:
        Files.readString(maestroDir().resolve('exit')).strip() == '0'
        executions().size() == RUNS
        executions().toSet().size() == RUNS
        outputs().isEmpty()

        when: 'a new laptop Katapult fetches'
        def fetch = laptop(['fetch'])

        then:
        finish(fetch) == 0
        outputs().size() == RUNS
        outputs().every { Files.readString(it).startsWith('shipped input\n') }
        outputs().collect { Files.readAllLines(it)[1] }.toSet() == executions().toSet()
        Files.exists(maestroDir().resolve('fetched'))

        when: 'down'
        def down = laptop(['down'])

        then: 'nothing is left: no maestro, no marker, no maestro process; the results stay'
        finish(down) == 0
        !Files.exists(maestro.dir.resolve('maestro-instance'))
        !Files.exists(marker())
        maestroProcesses().isEmpty()
        outputs().size() == RUNS
        Files.readAllLines(maestro.dir.resolve('created')).size() == 1

        and: 'the local state now knows every run is DONE and fetched, so a local run would not run them again'
        def state = new ObjectMapper().readValue(ws.resolve('.katapult/unattended/state.json').toFile(), Map)
        state.runs.size() == RUNS
        state.runs.every { it.state == 'DONE' }
    }

    def "the laptop killed during the hand-off (after the maestro started, before HANDED_OFF), run again: one maestro, one maestro process, every job once"() {
        when: 'the first hand-off hangs right after starting Katapult on the maestro, and is killed there'
        def first = laptop(['run', config.toString()], true)
        waitFor(240) { Files.exists(maestro.dir.resolve('hung')) }
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        then: 'the marker says the hand-off is not finished, and other commands say so'
        markerJson().phase == 'STARTING'

        when: 'run again'
        def second = laptop(['run', config.toString()])
        def code = finish(second)

        then: 'it finishes the hand-off on the same maestro, without a second Katapult there'
        code == 0
        markerJson().phase == 'HANDED_OFF'
        Files.readAllLines(maestro.dir.resolve('created')).size() == 1
        maestroProcesses().size() <= 1

        when: 'the laptop waits'
        def waiting = laptop(['wait'])

        then: 'every job ran once and every output came'
        finish(waiting) == 0
        executions().size() == RUNS
        executions().toSet().size() == RUNS
        outputs().size() == RUNS

        when:
        def down = laptop(['down'])

        then:
        finish(down) == 0
        !Files.exists(marker())
        maestroProcesses().isEmpty()
    }
}
