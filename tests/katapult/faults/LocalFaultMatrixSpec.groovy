package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.session.SessionException
import katapult.state.RunState
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The fault matrix on the local provider (issue 8): each scenario strikes at a moment held by {@link Gates}, then
 * {@link FaultScenario#verify} checks after {@code down} that no result was lost, no run executed twice, no instance
 * launched twice and nothing left behind, and records the scenario's row of the table printed at the end.
 */
@Timeout(300)
@Tag('e2e')
class LocalFaultMatrixSpec extends Specification {

    static final int RUNS = 4

    @TempDir
    Path ws

    List<Event> events = [].asSynchronized()

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    def cleanupSpec() {
        def table = FaultTable.render()
        println table
        Files.writeString(FaultTable.FILE.resolveSibling('fault-matrix.txt'), table)
    }

    Path config(String project, String jobs) {
        Files.writeString(ws.resolve("${project}.groovy"), """katapult { project '$project'; autoStop false
            instance { name 'one'; cpus 2 }
            instance { name 'two'; cpus 2 }
            $jobs }""")
    }

    /** RUNS runs that count themselves, wait for the run gate, and write out.txt. */
    static String work(FaultScenario s, Gates gates) {
        """job { name 'work'; repeat $RUNS; outputFiles 'out.txt'
                 runCommand '${s.countLine()}; ${gates.waitForRunGate()}; echo "work \$KATAPULT_RUN_ID" > out.txt' }"""
    }

    static List<String> workOutputs() { (1..RUNS).collect { "work/$it/out.txt" } }

    /** The sandboxes of the project's instances (each a folder of this machine). */
    List<Path> sandboxes(String project) {
        ['one', 'two'].collect { ws.resolve(".katapult/$project/local/$it") }
    }

    Process katapult(Gates gates, String... args) {
        KatapultJvm.start(ws, args as List, [], [PATH: "${gates.stubFolder()}:${System.getenv('PATH')}".toString()])
    }

    /** Removes everything through a new session, as `katapult down` does; returns the instances launched before. */
    int down(FaultScenario s) {
        int launched = s.launched()
        def session = Session.resume(ws, s.project, { events << it })
        try {
            session.down()
        } finally {
            session.close()
        }
        launched
    }

    def "Katapult killed with SIGKILL #step resumes: every result once, nothing left after down"() {
        given: 'runs held at the run gate, fetches held at the fetch gate'
        def s = new FaultScenario(ws, 'local', "kill -9 $step", 'kill')
        def gates = new Gates(ws.resolve('gates'))
        def file = config('kill', work(s, gates))
        if (step == 'while fetching') {
            gates.openRuns()
        } else {
            gates.openFetch()
        }

        when: 'the first Katapult is killed with SIGKILL at that step'
        def first = katapult(gates, 'run', file.toString())
        FaultScenario.await("$step (or Katapult ended)") { reached(step, s, gates) || !first.alive }
        def wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        and: 'the gates open and Katapult runs again'
        gates.openRuns()
        gates.openFetch()
        def again = Session.open(ws, file, { events << it })
        def finished = again.runAll(Duration.ofSeconds(120))
        again.close()

        then:
        wasAlive
        finished

        when:
        def launched = down(s)

        then:
        s.verify(RUNS, workOutputs(), 2, launched, sandboxes('kill'))

        where:
        step << ['after init', 'after start', 'after deploy/submit', 'while RUNNING', 'while fetching']
    }

    boolean reached(String step, FaultScenario s, Gates gates) {
        switch (step) {
            case 'after init': return Files.exists(s.stateFile())
            case 'after start': return agentInstalled(s.project)
            case 'after deploy/submit': return s.savedText() =~ /"submitted"\s*:\s*true/
            case 'while RUNNING': return s.executions().size() == RUNS
            default: return gates.fetchBegan()
        }
    }

    /** The run folders fetched into a job's results (its runs.csv, written as runs change, is not one). */
    static List<Path> fetchedRunFolders(Path jobResults) {
        Files.isDirectory(jobResults) ? Files.list(jobResults).withCloseable { it.filter(Files.&isDirectory).toList() } : []
    }

    /** A sandbox holds bin/agent.sh: looked up by its path, not by a walk that meets temp files as they vanish. */
    boolean agentInstalled(String project) {
        def local = ws.resolve(".katapult/$project/local")
        Files.isDirectory(local) && local.toFile().listFiles().any { sandbox ->
            Files.exists(sandbox.toPath().resolve(".katapult/$project/instances/${sandbox.name}/bin/agent.sh"))
        }
    }

    def "down with unfetched results (Katapult killed, the runs finished since) fetches them first, in its own JVM"() {
        given:
        def s = new FaultScenario(ws, 'local', 'down with unfetched results', 'unfetched')
        def gates = new Gates(ws.resolve('gates'))
        gates.openFetch()
        def file = config('unfetched', work(s, gates))
        def first = katapult(gates, 'run', file.toString())
        FaultScenario.await('every run RUNNING') { s.executions().size() == RUNS }
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)
        gates.openRuns()
        FaultScenario.await('every run DONE on its instance') {
            FaultScenario.remoteStates(sandboxes('unfetched')).count { it == 'DONE' } == RUNS
        }
        def launched = s.launched()
        assert fetchedRunFolders(ws.resolve('results/unfetched/work')).isEmpty()

        when:
        def down = katapult(gates, 'down')
        def ended = down.waitFor(120, TimeUnit.SECONDS)

        then:
        ended
        down.exitValue() == 0
        Files.list(ws).withCloseable { logs ->
            logs.filter { it.fileName.toString() ==~ /katapult-\d+\.log/ }
                    .anyMatch { Files.readString(it).contains('fetching 4 finished run(s) first') }
        }
        s.verify(RUNS, workOutputs(), 2, launched, sandboxes('unfetched'))
    }

    @Requires({ ResultsSafetySpec.canMount() })
    def "a disk full while fetching stops the session; once there is room every result comes, once"() {
        given: 'a results folder on a 1 MiB file system, outputs of 2 MiB beside small ones'
        def s = new FaultScenario(ws, 'local', 'disk full while fetching', 'full')
        def results = Files.createDirectories(ws.resolve('results'))
        assert ['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', results.toString()].execute().waitFor() == 0
        def file = config('full', """
            job { name 'big'; repeat 2; outputFiles 'o.bin'; runCommand '${s.countLine()}; head -c 2097152 /dev/urandom > o.bin' }
            job { name 'small'; repeat 2; outputFiles 'o.txt'; runCommand '${s.countLine()}; echo small > o.txt' }""")
        def session = Session.open(ws, file, { events << it })

        when:
        session.runAll(Duration.ofSeconds(120))

        then:
        def e = thrown(SessionException)
        e.message.contains('No space left on device')

        when: 'there is room again'
        assert ['mount', '-o', 'remount,size=64m', results.toString()].execute().waitFor() == 0
        session.fetchFinished(null)
        session.close()
        def launched = down(s)

        then:
        s.verify(4, ['big/1/o.bin', 'big/2/o.bin', 'small/1/o.txt', 'small/2/o.txt'], 2, launched, sandboxes('full'))
        Files.size(results.resolve('full/big/2/o.bin')) == 2097152

        cleanup:
        session?.close()
        LeftoverProcesses.kill(ws)
        ['umount', results.toString()].execute().waitFor()
    }

    def "an output past 8 GiB (sparse) comes home beside normal ones"() {
        given:
        def s = new FaultScenario(ws, 'local', 'huge sparse output (8 GiB + 3)', 'huge')
        def file = config('huge', """
            job { name 'huge'; outputFiles 'big.bin'; runCommand '${s.countLine()}; truncate -s 8G big.bin && printf end >> big.bin' }
            job { name 'small'; repeat 3; outputFiles 's.txt'; runCommand '${s.countLine()}; echo small > s.txt' }""")

        when:
        def session = Session.open(ws, file, { events << it })
        def finished = session.runAll(Duration.ofSeconds(200))
        session.close()
        def launched = down(s)

        then:
        finished
        Files.size(ws.resolve('results/huge/huge/1/big.bin')) == 8L * 1024 * 1024 * 1024 + 3
        s.verify(4, ['huge/1/big.bin', 'small/1/s.txt', 'small/2/s.txt', 'small/3/s.txt'], 2, launched, sandboxes('huge'))
    }

    def "hostile symlinked outputs are refused, never read, beside normal runs"() {
        given: 'a secret folder of this spec (never a system path) that links point to'
        def s = new FaultScenario(ws, 'local', 'hostile symlinked outputs', 'links')
        def secret = Files.createDirectories(ws.resolve('secret'))
        Files.writeString(secret.resolve('passwd'), 'the secret\n')
        def file = config('links', """
            job { name 'file'; outputFiles 'out.txt'; runCommand '${s.countLine()}; ln -s "${secret}/passwd" out.txt' }
            job { name 'folder'; outputFiles 'd/passwd'; runCommand '${s.countLine()}; ln -s "${secret}" d' }
            job { name 'inside'; outputFiles 'out.txt'; runCommand '${s.countLine()}; mkdir real && echo mine > real/o.txt && ln -s real/o.txt out.txt' }
            job { name 'plain'; repeat 2; outputFiles 'out.txt'; runCommand '${s.countLine()}; echo plain > out.txt' }""")

        when:
        def session = Session.open(ws, file, { events << it })
        session.runAll(Duration.ofSeconds(60))
        def runs = session.runs()*.run().groupBy { it.job() }
        session.close()
        def launched = down(s)

        then: 'the hostile runs are ABORTED with the reason, the others DONE'
        runs.file*.state() == [RunState.ABORTED]
        runs.file[0].reason().contains('outside the run\'s folder (never read)')
        runs.folder*.state() == [RunState.ABORTED]
        (runs.inside + runs.plain)*.state().every { it == RunState.DONE }
        Files.walk(ws.resolve('results')).withCloseable { st ->
            st.noneMatch { Files.isRegularFile(it) && Files.readString(it) == 'the secret\n' }
        }
        Files.readString(secret.resolve('passwd')) == 'the secret\n'
        s.verify(5, ['inside/1/out.txt', 'plain/1/out.txt', 'plain/2/out.txt'], 2, launched, sandboxes('links'))
    }
}
