package katapult.faults

import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path

import katapult.LeftoverProcesses
import katapult.state.StateStore

/**
 * One scenario of the fault matrix: its runs count their executions in a counter file, and {@link #verify} checks the
 * four promises after {@code down} (no result lost, no run executed twice, no duplicate instance, nothing left) and
 * records the scenario's row in {@link FaultTable} before asserting, so a failing row still shows its figures.
 */
class FaultScenario {

    final Path ws
    final String provider
    final String name
    final String project
    private final long started = System.nanoTime()

    FaultScenario(Path ws, String provider, String name, String project) {
        this.ws = ws
        this.provider = provider
        this.name = name
        this.project = project
    }

    Path counter() { ws.resolve("counter-${project}.txt") }

    List<String> executions() { Files.exists(counter()) ? Files.readAllLines(counter()) : [] }

    /** The shell line a run starts with: it appends its id to the counter file. */
    String countLine() { "echo \"\$KATAPULT_RUN_ID\" >> \"${counter()}\"" }

    Path stateFile() { ws.resolve(".katapult/$project/state.json") }

    /** The saved state's text: the snapshot and the journal of the saves since (a killed Katapult never folds it). */
    String savedText() {
        def journal = stateFile().resolveSibling('state.journal')
        (Files.exists(stateFile()) ? Files.readString(stateFile()) : '') + (Files.exists(journal) ? Files.readString(journal) : '')
    }

    /** The project's instances as its state records them (name → generation); empty once down removed them. */
    Map<String, Integer> recordedInstances() {
        StateStore.peek(stateFile().parent).map { state ->
            state.instances().collectEntries { [(it.name()): it.generation()] } as Map<String, Integer>
        }.orElse([:])
    }

    /** Instances ever launched for the project: a replacement of one bumps its generation. Read before down. */
    int launched() { recordedInstances().values().sum(0) as int }

    /**
     * The state files of the runs on instances whose homes lie under {@code homes}, whatever the remote layout. The
     * agents keep writing while it reads (a state's temporary file, a tidied run folder vanish under the walk): a walk
     * that meets a vanished file is taken again.
     */
    static List<String> remoteStates(List<Path> homes) {
        for (int attempt = 1; ; attempt++) {
            try {
                return homes.findAll { Files.isDirectory(it) }.collectMany { home ->
                    Files.walk(home).withCloseable { s ->
                        s.filter { it.fileName.toString() == 'state' && it.parent?.parent?.fileName?.toString() == 'runs' }
                                .collect { Files.readString(it).trim() }
                    }
                }
            } catch (UncheckedIOException | NoSuchFileException e) {
                if (attempt == 20) {
                    throw e
                }
            }
        }
    }

    /** Waits (a minute at most, then fails naming it) until {@code condition} holds: never a timing decision. */
    static void await(String what, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + 60_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < deadline: "never happened: $what"
            sleep(100)
        }
    }

    /**
     * Checks the four promises after {@code down} and records the row.
     *
     * @param runs the runs of the scenario, each executed exactly once
     * @param outputs every output that must have come home, relative to {@code results/<project>/}
     * @param planned the instances the config plans
     * @param launched the instances launched ({@link #launched} read before down)
     * @param sandboxes the instance folders (local sandboxes, Katapult's folder on reachable hosts) down must remove
     */
    void verify(int runs, List<String> outputs, int planned, int launched, List<Path> sandboxes) {
        def executions = executions()
        def fetched = outputs.findAll { Files.isRegularFile(ws.resolve("results/$project/$it")) }
        def processes = awaitNoProcesses()
        def left = sandboxes.findAll { Files.exists(it) }
        def recorded = recordedInstances()
        FaultTable.row(provider: provider, scenario: name, runs: runs, executions: executions.size(),
                fetched: "${fetched.size()}/${outputs.size()}", 'launched/planned': "$launched/$planned",
                'left after down': recorded.size() + left.size() + processes.size(),
                seconds: String.format('%.1f', (System.nanoTime() - started) / 1e9))
        assert executions.size() == runs
        assert executions.toSet().size() == runs
        assert fetched == outputs
        assert launched == planned
        assert processes.isEmpty()
        assert left.isEmpty()
        assert recorded.isEmpty()
    }

    /** Processes of the instances that outlive down: a run's last `sleep` may take a moment to see its agent gone. */
    private Map<Long, String> awaitNoProcesses() {
        long deadline = System.nanoTime() + 10_000_000_000L
        Map<Long, String> left = LeftoverProcesses.under(ws)
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(200)
            left = LeftoverProcesses.under(ws)
        }
        left
    }
}
