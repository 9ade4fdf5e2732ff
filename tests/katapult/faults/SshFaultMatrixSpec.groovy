package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.session.UnfetchedResultsException
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The fault matrix on the ssh provider (issue 8), against SSH servers on loopback addresses: each scenario strikes at
 * a moment held by {@link Gates}, then {@link FaultScenario#verify} checks after {@code down --purge} that no result
 * was lost, no run executed twice, no instance launched twice, and no agent nor Katapult folder is left on the hosts.
 */
@Timeout(300)
@Tag('e2e')
class SshFaultMatrixSpec extends Specification {

    static final int RUNS = 4

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    def cleanupSpec() {
        def table = FaultTable.render()
        println table
        Files.writeString(FaultTable.FILE.resolveSibling('fault-matrix.txt'), table)
    }

    /** Two hosts, one and two, two cpus each, whose commands find the fetch-holding tar first on their PATH. */
    List<SshTestHosts.Host> twoHosts(Gates gates) {
        def two = hosts.start(2)
        two.each { it.pathPrefix = gates.stubFolder() }
        two
    }

    Path config(String project, List<SshTestHosts.Host> two, String jobs) {
        Files.writeString(ws.resolve("${project}.groovy"), """katapult { project '$project'; provider 'ssh'
            ${hosts.instanceBlock(two[0], 'one', 2)}
            ${hosts.instanceBlock(two[1], 'two', 2)}
            $jobs }""")
    }

    static String work(FaultScenario s, Gates gates) {
        """job { name 'work'; repeat $RUNS; outputFiles 'out.txt'
                 runCommand '${s.countLine()}; ${gates.waitForRunGate()}; echo "work \$KATAPULT_RUN_ID" > out.txt' }"""
    }

    static List<String> workOutputs() { (1..RUNS).collect { "work/$it/out.txt" } }

    /** Katapult's folder for the project on each host, which down --purge removes. */
    static List<Path> sandboxes(String project, List<SshTestHosts.Host> on) {
        on.collect { it.home.resolve(".katapult/$project") }
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it })
    }

    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List, [], [KATAPULT_SSH_DIR: ws.resolve('no-user-ssh').toString()])
    }

    /** down --purge through a new session; returns the instances launched before. */
    int down(FaultScenario s) {
        int launched = s.launched()
        def session = Session.resume(ws, s.project, { events << it })
        try {
            session.down(true, false)
        } finally {
            session.close()
        }
        launched
    }

    def "Katapult killed with SIGKILL #step on two SSH hosts resumes: every result once, nothing left after down"() {
        given:
        def s = new FaultScenario(ws, 'ssh', "kill -9 $step", 'kill')
        def gates = new Gates(ws.resolve('gates'))
        def two = twoHosts(gates)
        def file = config('kill', two, work(s, gates))
        if (step == 'while fetching') {
            gates.openRuns()
        } else {
            gates.openFetch()
        }

        when:
        def first = katapult('run', file.toString())
        FaultScenario.await("$step (or Katapult ended)") {
            (step == 'while fetching' ? gates.fetchBegan() : s.executions().size() == RUNS) || !first.alive
        }
        def wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)
        gates.openRuns()
        gates.openFetch()
        def again = open(file)
        def finished = again.runAll(Duration.ofSeconds(120))
        again.close()

        then:
        wasAlive
        finished

        when:
        def launched = down(s)

        then:
        s.verify(RUNS, workOutputs(), 2, launched, sandboxes('kill', two))

        where:
        step << ['while RUNNING', 'while fetching']
    }

    def "an SSH host killed mid-run and restarted: its runs go UNKNOWN, then DONE, each executed once"() {
        given:
        def s = new FaultScenario(ws, 'ssh', 'SSH host killed mid-run, restarted', 'restart')
        def gates = new Gates(ws.resolve('gates'))
        gates.openFetch()
        def two = twoHosts(gates)
        def file = config('restart', two, work(s, gates))
        def unknownSeen = false
        def saboteur = Thread.start {
            FaultScenario.await('every run RUNNING') { s.executions().size() == RUNS }
            two[1].stop()
            FaultScenario.await('a run UNKNOWN') {
                events.any { it instanceof Event.RunChanged && it.run().state() == RunState.UNKNOWN }
            }
            unknownSeen = true
            gates.openRuns()
            FaultScenario.await('the runs of two DONE while its server is down') {
                FaultScenario.remoteStates([two[1].home]).count { it == 'DONE' } == 2
            }
            two[1].start()
        }

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(120))
        saboteur.join()
        def runs = session.runs()*.run()
        session.close()
        def launched = down(s)

        then:
        finished
        unknownSeen
        runs.findAll { it.instance() == 'two' }.size() == 2
        runs.every { it.state() == RunState.DONE && it.attempt() == 1 }
        s.verify(RUNS, workOutputs(), 2, launched, sandboxes('restart', two))
    }

    def "down with unfetched results while a host is gone refuses, removing nothing; --discard-unfetched goes on"() {
        given: 'runs finished on both hosts, never fetched; then host two is gone (server and processes)'
        def s = new FaultScenario(ws, 'ssh', 'down, unfetched, host gone (--discard-unfetched)', 'gone')
        def gates = new Gates(ws.resolve('gates'))
        gates.openFetch()
        def two = twoHosts(gates)
        def file = config('gone', two, work(s, gates))
        def session = open(file)
        session.start()
        session.deploy()
        session.submit()
        def placed = session.runs()*.run().groupBy { it.instance() }
        FaultScenario.await('every run RUNNING') { s.executions().size() == RUNS }
        gates.openRuns()
        FaultScenario.await('every run DONE on its host') {
            FaultScenario.remoteStates(two*.home).count { it == 'DONE' } == RUNS
        }
        two[1].stop()
        LeftoverProcesses.kill(two[1].home)

        when:
        session.down(true, false)

        then: 'the refusal names the runs of the gone host; nothing was removed'
        def refused = thrown(UnfetchedResultsException)
        refused.runs().size() == 2
        refused.runs().every { it.contains(' on two ') }
        session.status().instances().size() == 2

        when:
        def launched = s.launched()
        session.down(true, true)
        def runs = session.runs()*.run()
        session.close()

        then: "one's results came, two's runs (outcome unknown) wait to go again, none ran twice"
        runs.findAll { it.instance() == 'one' || placed.one*.uid().contains(it.uid()) }.every { it.state() == RunState.DONE }
        placed.two.every { p -> runs.find { it.uid() == p.uid() }.state() == RunState.WAIT }

        and: 'the gone host keeps its folder, said so, and did not stop down'
        events.any { it instanceof Event.Warning && it.message().startsWith('cannot reach two to delete ~/.katapult/gone there (it stays)') }
        s.verify(RUNS, placed.one.collect { "work/${it.repeat()}/out.txt" }, 2, launched, sandboxes('gone', [two[0]]))
    }

    def "hostile symlinked outputs over SSH are refused, never read, beside normal runs"() {
        given: 'a secret folder of this spec (never a system path) that links point to'
        def s = new FaultScenario(ws, 'ssh', 'hostile symlinked outputs', 'links')
        def secret = Files.createDirectories(ws.resolve('secret'))
        Files.writeString(secret.resolve('passwd'), 'the secret\n')
        def gates = new Gates(ws.resolve('gates'))
        gates.openFetch()
        def two = twoHosts(gates)
        def file = config('links', two, """
            job { name 'file'; outputFiles 'out.txt'; runCommand '${s.countLine()}; ln -s "${secret}/passwd" out.txt' }
            job { name 'folder'; outputFiles 'd/passwd'; runCommand '${s.countLine()}; ln -s "${secret}" d' }
            job { name 'inside'; outputFiles 'out.txt'; runCommand '${s.countLine()}; mkdir real && echo mine > real/o.txt && ln -s real/o.txt out.txt' }
            job { name 'plain'; repeat 2; outputFiles 'out.txt'; runCommand '${s.countLine()}; echo plain > out.txt' }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def runs = session.runs()*.run().groupBy { it.job() }
        session.close()
        def launched = down(s)

        then:
        runs.file*.state() == [RunState.ABORTED]
        runs.file[0].reason().contains('outside the run\'s folder (never read)')
        runs.folder*.state() == [RunState.ABORTED]
        (runs.inside + runs.plain)*.state().every { it == RunState.DONE }
        Files.walk(ws.resolve('results')).withCloseable { st ->
            st.noneMatch { Files.isRegularFile(it) && Files.readString(it) == 'the secret\n' }
        }
        Files.readString(secret.resolve('passwd')) == 'the secret\n'
        s.verify(5, ['inside/1/out.txt', 'plain/1/out.txt', 'plain/2/out.txt'], 2, launched, sandboxes('links', two))
    }

    def "a host whose key changed beside a healthy one: the healthy one's results all come; after forget-host, all"() {
        given: 'runs sent to both hosts, then two answers with another key'
        def s = new FaultScenario(ws, 'ssh', 'host key changed beside a healthy host', 'mitm')
        def gates = new Gates(ws.resolve('gates'))
        gates.openFetch()
        gates.openRuns()
        def two = twoHosts(gates)
        def file = config('mitm', two, work(s, gates))
        def first = open(file)
        first.start()
        first.deploy()
        first.submit()
        def placed = first.runs()*.run().groupBy { it.instance() }
        first.close()
        two[1].stop()
        two[1].newHostKey()
        two[1].start()

        when: 'the session goes on until the healthy host has nothing left'
        def second = open(file)
        FaultScenario.await("one's runs fetched") {
            second.advance()
            second.runs()*.run().findAll { it.instance() == 'one' }.every { it.fetched() }
        }
        def runs = second.runs()*.run()
        second.close()

        then: "one's results all came; two's are not fetched and its new key not trusted"
        placed.one.every { Files.exists(ws.resolve("results/mitm/work/${it.repeat()}/out.txt")) }
        runs.findAll { it.instance() == 'two' }.every { !it.fetched() }
        events.count { it instanceof Event.Warning && it.message().contains('CHANGED') } >= 1

        when: 'the key change is accepted (forget-host), then down'
        def forget = katapult('forget-host', "${two[1].address}:${two[1].port}", '-p', 'mitm')
        assert forget.waitFor(60, TimeUnit.SECONDS) && forget.exitValue() == 0
        def launched = down(s)

        then: 'down fetched two\'s finished runs first: every result, once'
        s.verify(RUNS, workOutputs(), 2, launched, sandboxes('mitm', two))
    }
}
