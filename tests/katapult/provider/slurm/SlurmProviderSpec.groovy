package katapult.provider.slurm

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ObjectNode

import katapult.LeftoverProcesses
import katapult.cli.Main
import katapult.config.Config
import katapult.providers.ProviderFactory
import katapult.session.Event
import katapult.session.RunView
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.SshSettings
import katapult.transport.SshTestHosts
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The slurm provider against the single-node test cluster, its login node this machine (a home folder of the spec's
 * own): runs go to Slurm as one job array per job and come back through the same run folders as on any instance.
 * Skipped, with the reason, where the cluster cannot start.
 */
@Timeout(300)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmProviderSpec extends Specification {

    static {
        def why = SlurmCluster.unavailable()
        if (why != null) {
            System.err.println("SlurmProviderSpec SKIPPED: $why")
        }
    }

    @Shared
    @TempDir
    Path dir

    List<Event> events = new CopyOnWriteArrayList<>()

    def cleanupSpec() {
        LeftoverProcesses.kill(dir)
    }

    /** The provider with the login node's home in this spec's folder. */
    ProviderFactory providers(Path home) {
        { Config config, Path stateDir ->
            new SlurmProvider(config, SshSettings.defaults(stateDir.resolve('known_hosts')), home)
        } as ProviderFactory
    }

    def "three jobs (repeat, cpus_req, after), a failing one and one past its own time limit, in one job array each, in a workdir"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws1'))
        def home = Files.createDirectories(dir.resolve('home1'))
        def shared = dir.resolve('shared1/katapult-slurm1')
        def file = Files.writeString(ws.resolve('slurm.groovy'), '''
        katapult {
            project 'slurm1'
            provider 'slurm'
            instance { name 'cluster'; timeLimit '10m'; partition 'debug'; workdir 'WORKDIR' }
            job { name 'a'; runCommand 'echo "a $KATAPULT_RUN_ID $SLURM_ARRAY_TASK_ID" > out.txt'; outputFiles 'out.txt'; repeat 4 }
            job { name 'b'; cpusReq 2; runCommand 'echo "$SLURM_CPUS_PER_TASK $KATAPULT_CPUS" > out.txt'; outputFiles 'out.txt' }
            job { name 'c'; after 'a'; runCommand 'echo c > out.txt'; outputFiles 'out.txt' }
            job { name 'bad'; runCommand 'echo "something broke" >&2; exit 3' }
            job { name 'slow'; runCommand 'sleep 900'; timeLimit '1m' }
        }
        '''.replace('WORKDIR', shared.toString()))

        when:
        def session = Session.open(ws, file, { events << it }, providers(home))
        session.runAll(Duration.ofSeconds(200))
        Map<String, RunView> runs = [:]
        session.runs().each { runs[it.run().job() + '/' + it.run().repeat()] = it }
        session.close()
        println runs.collect { k, v -> "$k ${v.state()} ${v.run().reason()}" }.join('\n')

        then: 'every run of a, b and c is DONE, its output fetched'
        ['a/1', 'a/2', 'a/3', 'a/4', 'b/1', 'c/1'].every { runs[it].state() == RunState.DONE }
        (1..4).collect { Files.readString(ws.resolve("results/slurm1/a/$it/out.txt")).split(' ')[0] } == ['a'] * 4
        (1..4).collect { Files.readString(ws.resolve("results/slurm1/a/$it/out.txt")).strip().split(' ')[2] }.toSet() == ['0', '1', '2', '3'].toSet()
        Files.readString(ws.resolve('results/slurm1/b/1/out.txt')).strip() == '2 2'
        Files.readString(ws.resolve('results/slurm1/c/1/out.txt')).strip() == 'c'

        and: 'the failing run is ABORTED with its stderr tail'
        runs['bad/1'].state() == RunState.ABORTED
        runs['bad/1'].run().reason() == 'exit code 3'
        runs['bad/1'].stderrTail().contains('something broke')

        and: 'the slow one is ABORTED at the time limit of its job (not of the entry) with what Slurm said, not retried'
        runs['slow/1'].state() == RunState.ABORTED
        runs['slow/1'].run().reason().contains('Slurm: TIMEOUT')
        runs['slow/1'].run().attempt() == 1

        and: 'everything went to the workdir, nothing to the home'
        Files.isDirectory(shared.resolve('instances/cluster/runs'))
        Files.isDirectory(shared.resolve('files'))
        !Files.exists(home.resolve('.katapult'))

        and: 'one array per job, named after project and job'
        def tasks = arraysIn(shared)
        tasks.keySet().collect { it.split('\\.')[2] }.sort() == ['a', 'b', 'bad', 'c', 'slow']
        tasks.values().sort() == [1, 1, 1, 1, 4]
        tasks.keySet().every { it.startsWith('katapult.slurm1.') }
    }

    def "a Katapult that lost what it submitted and runs again submits nothing twice"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws2'))
        def home = Files.createDirectories(dir.resolve('home2'))
        def counter = dir.resolve('counter2.txt')
        def file = Files.writeString(ws.resolve('slurm.groovy'), """
        katapult {
            project 'slurm2'
            provider 'slurm'
            instance { name 'cluster' }
            job { name 'w'; runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter}; sleep 4; echo ok > out.txt'; outputFiles 'out.txt'; repeat 3 }
        }
        """)

        when: 'the first Katapult submits, then is gone before it saved that it did (the state says not submitted, the job file is lost)'
        def first = Session.open(ws, file, { events << it }, providers(home))
        first.runAll(Duration.ofMillis(500))
        first.close()
        forgetSubmissions(ws.resolve('.katapult/slurm2/state.json'))
        Files.list(home.resolve('.katapult/slurm2/instances/cluster/arrays')).withCloseable { files ->
            files.filter { it.fileName.toString().endsWith('.job') }.toList().each { Files.delete(it) }
        }

        and: 'a second one runs the same config to the end'
        def second = Session.open(ws, file, { events << it }, providers(home))
        def finished = second.runAll(Duration.ofSeconds(120))
        def runs = second.runs()
        second.close()

        then: 'it found the array by its name: every run ran once, in one array'
        finished
        runs.every { it.state() == RunState.DONE }
        Files.readAllLines(counter).size() == 3
        Files.readAllLines(counter).toSet().size() == 3
        arrays(home, 'slurm2').values().toList() == [3]
    }

    def "down cancels what waits in Slurm's queue and what runs"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws3'))
        def home = Files.createDirectories(dir.resolve('home3'))
        def file = Files.writeString(ws.resolve('slurm.groovy'), '''
        katapult {
            project 'slurm3'
            provider 'slurm'
            instance { name 'cluster'; maxParallel 1 }
            job { name 'long'; runCommand 'sleep 300'; repeat 3 }
        }
        ''')
        def session = Session.open(ws, file, { events << it }, providers(home))

        when:
        session.runAll(Duration.ofSeconds(3))
        def pending = session.runs().findAll { it.run().reason()?.startsWith('Slurm: pending') }
        session.down(false, true)
        session.close()

        then: 'the runs Slurm held back said why'
        pending.size() >= 1
        pending.every { it.run().reason() ==~ /Slurm: pending \(.+\)/ }

        and: 'no task of the project is left queued or running'
        waitFor { states(home, 'slurm3').every { it == 'CANCELLED' } }
        states(home, 'slurm3').size() == 3
    }

    def "the login node reached over SSH"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws4'))
        def hosts = new SshTestHosts(dir.resolve('hosts'))
        def login = hosts.start('login')
        def file = Files.writeString(ws.resolve('slurm.groovy'), """
        katapult {
            project 'slurm4'
            provider 'slurm'
            ${hosts.instanceBlock(login, 'cluster')}
            job { name 'w'; runCommand 'echo "\$HOME \$SLURM_JOB_ID" > out.txt'; outputFiles 'out.txt'; repeat 2 }
        }
        """)

        when:
        def session = Session.open(ws, file, { events << it })
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.close()

        then:
        finished
        runs.every { it.state() == RunState.DONE }
        (1..2).every {
            def words = Files.readString(ws.resolve("results/slurm4/w/$it/out.txt")).strip().split(' ')
            words[0] == login.home.toString() && words[1] ==~ /\d+/
        }
        arrays(login.home, 'slurm4').values().toList() == [2]

        cleanup:
        hosts?.close()
    }

    def "examples/slurm.groovy runs on the test cluster, and plan shows its sbatch commands"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws5'))
        def home = Files.createDirectories(dir.resolve('home5'))
        def file = Path.of('examples/slurm.groovy').toAbsolutePath()

        when:
        def session = Session.open(ws, file, { events << it }, providers(home))
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.close()

        then:
        finished
        runs.size() == 6
        runs.every { it.state() == RunState.DONE }
        Files.readString(ws.resolve('results/slurm-example/wide/1/cpus.txt')).strip() == 'cpus: 2'
        Files.exists(ws.resolve('results/slurm-example/report/1/report.txt'))
        (1..4).every { Files.readString(ws.resolve("results/slurm-example/simulate/$it/sample.csv")).split(',').size() == 3 }

        when:
        def out = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true), 'plan',
                '-C', ws.toString(), file.toString())
        def lines = out.toString().readLines().findAll { it.startsWith('  sbatch ') }

        then:
        code == 0
        lines.size() == 3
        lines[0] ==~ /  sbatch --job-name=katapult\.slurm-example\.simulate\.[0-9a-f]{10} '--comment=katapult project slurm-example job simulate' --array=0-3%3 --cpus-per-task=1 --ntasks=1 --partition=debug --time=0-00:10:00 --mem-per-cpu=200M slurm-task\.sh R katapult\.slurm-example\.simulate\.[0-9a-f]{10}/
        lines[1].contains('--cpus-per-task=2')

        and: 'the instance shows no made-up cpu count: the cluster tells its own at start'
        out.toString().readLines().find { it.startsWith('cluster ') }.split(/\s+/)[0..4] == ['cluster', '-', '-', '-', 'slurm']
    }

    /** The state of every task of the arrays the project submitted from {@code home}. */
    static List<String> states(Path home, String project) {
        tasksIn(home.resolve(".katapult/$project")).collect { it[2] }
    }

    /**
     * The tasks of the arrays submitted from the project folder {@code root} (its instance folder their working
     * folder), as squeue knows them, finished ones too: [array name, task, state] each. Read from Slurm, not from
     * the instance's arrays/ folder, which Katapult empties once an array's runs are all fetched.
     */
    static List<List<String>> tasksIn(Path root) {
        def where = root.resolve('instances/cluster').toString()
        def out = SlurmCluster.command('squeue', '-h', '-r', '-t', 'all', '-o', '%j|%K|%T|%Z').out
        out.readLines().collect { it.split('\\|') as List }
                .findAll { it.size() == 4 && it[3] == where && !it[0].contains('.env.') }
                .collect { it[0..2] }
    }

    /** Edits a state file as if its runs had never been sent to their instance. */
    static void forgetSubmissions(Path stateFile) {
        def json = new ObjectMapper()
        def state = json.readTree(stateFile.toFile())
        state.get('runs').each { ((ObjectNode) it).put('submitted', false) }
        json.writeValue(stateFile.toFile(), state)
    }

    static boolean waitFor(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 60_000
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(250)
        }
        false
    }

    /** The arrays the project submitted from {@code home}, as squeue knows them: array name → its tasks. */
    static Map<String, Integer> arrays(Path home, String project) {
        arraysIn(home.resolve(".katapult/$project"))
    }

    /** The arrays submitted from the project folder {@code root}: array name → its tasks. */
    static Map<String, Integer> arraysIn(Path root) {
        Map<String, Integer> tasks = [:]
        tasksIn(root).each { tasks.merge(it[0], 1, Integer::sum) }
        tasks
    }
}
