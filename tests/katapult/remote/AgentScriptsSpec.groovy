package katapult.remote

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

import katapult.LeftoverProcesses
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The scripts of templates/ as an instance runs them: real bash in a temp HOME, the project root R under it,
 * the session's files written by hand.
 */
@Timeout(60)
@Tag('e2e')
class AgentScriptsSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    @Requires({ System.getenv('PATH').split(':').any { new File(it, 'shellcheck').canExecute() } })
    def "the scripts and stand-ins pass shellcheck"() {
        when:
        def files = ScriptsFixture.TEMPLATES.toFile().listFiles().findAll { it.name.endsWith('.sh') }*.toString() +
                ScriptsFixture.STANDINS.toFile().listFiles()*.toString()
        def check = host.bash(['shellcheck', '-s', 'bash'] + files)

        then:
        files.size() >= 9
        check.code == 0
        check.out == ''
    }

    def "a run goes from WAIT to DONE with its logs, exit code and times"() {
        given:
        host.cpus(2)
        host.submit('r1.1', '''echo "out $KATAPULT_RUN_ID $KATAPULT_CPUS $OMP_NUM_THREADS $(basename "$PWD")"
echo oops >&2
echo data > result.txt''', cpus: 2, outputs: ['result.txt'])

        expect:
        host.state('r1.1') == 'WAIT'

        when:
        def started = host.agent('start')

        then:
        started.out.trim() == 'started'
        host.waitState('r1.1', 'DONE')
        host.read('runs/r1.1/out.log') == 'out r1.1 2 2 work\n'
        host.read('runs/r1.1/err.log') == 'oops\n'
        host.read('runs/r1.1/exit') == '0\n'
        host.read('runs/r1.1/boot').trim() == host.bootId()
        host.read('runs/r1.1/pid').trim().isLong()
        def start = host.read('runs/r1.1/start').trim() as long
        def end = host.read('runs/r1.1/end').trim() as long
        start <= end && Math.abs(start - System.currentTimeMillis().intdiv(1000)) < 60
        !host.exists('runs/r1.1/reason')
        !host.exists('queue/r1.1')
        host.read('runs/r1.1/work/result.txt') == 'data\n'
    }

    def "a run that fails is ABORTED with the reason: #why"() {
        given:
        host.submit('r.1', cmd, outputs: outputs)

        when:
        host.agent('start')

        then:
        host.waitState('r.1', 'ABORTED')
        host.read('runs/r.1/reason').trim() == reason
        host.read('runs/r.1/exit').trim() == exit

        where:
        why                     | cmd                       | outputs               || reason                                  | exit
        'non-zero exit'         | 'echo hi; exit 3'         | []                    || 'exit code 3'                             | '3'
        'missing output'        | 'touch a.dat'             | ['a.dat', 'out.dat']  || "output 'out.dat' was not produced"       | '0'
        'killed by a signal'    | 'kill -9 $$'              | []                    || 'exit code 137 (killed by signal KILL)'   | '137'
    }

    def "the cpu budget holds: never more runs at once than the instance has cpus"() {
        given:
        host.cpus(2)
        (1..5).each { i ->
            host.submit("c$i", 'date +%s%N > t0; sleep 0.4; date +%s%N > t1', cpus: 1)
        }

        when:
        host.agent('start')

        then:
        (1..5).every { host.waitState("c$it", 'DONE') }
        def spans = (1..5).collect { i ->
            [host.read("runs/c$i/work/t0").trim() as long, host.read("runs/c$i/work/t1").trim() as long]
        }
        def overlap = spans.collect { s -> spans.count { o -> o[0] <= s[0] && s[0] < o[1] } }.max()
        overlap == 2
    }

    def "a run that does not fit waits; later smaller runs pass it only for a while (patience #patience s)"() {
        given: 'a holds one cpu of two; big needs both; small needs one'
        host.env.KATAPULT_AGENT_PATIENCE = patience as String
        host.cpus(2)
        host.submit('a', 'sleep 1.2', cpus: 1)
        host.submit('b', 'date +%s%N > t0', cpus: 2)
        host.submit('c', 'date +%s%N > t0', cpus: 1)

        when:
        host.agent('start')

        then:
        ['a', 'b', 'c'].every { host.waitState(it, 'DONE') }
        def b = host.read('runs/b/work/t0').trim() as long
        def c = host.read('runs/c/work/t0').trim() as long
        (c < b) == smallPasses

        where:
        patience || smallPasses
        60       || true
        0        || false
    }

    def "a run waits in WAIT until its environment is ready"() {
        given:
        host.envSpec('gate-1', command: 'while [ ! -e "$HOME/gate" ]; do sleep 0.05; done; echo set up')
        host.submit('r.1', 'echo ran', env: 'gate-1')

        when:
        host.agent('start')

        then:
        host.waitFor { host.exists('envs/gate-1/.setup') }
        host.holdsFor(0.5) { host.state('r.1') == 'WAIT' }
        host.exists('queue/r.1')
        host.pollLines().find { it[0] == 'env' } == ['env', 'gate-1', 'SETUP', '-']

        when:
        Files.writeString(host.home.resolve('gate'), '')

        then:
        host.waitState('r.1', 'DONE')
        host.exists('envs/gate-1/.ready')
        host.exists('envs/gate-1/activate')
        host.read('envs/gate-1/setup.log').contains('set up')
        host.read('runs/r.1/out.log') == 'ran\n'
    }

    def "an environment that fails aborts its runs with the reason and keeps its log"() {
        given:
        host.envSpec('bad-1', command: 'echo boom; exit 4')
        host.submit('r.1', 'echo never', env: 'bad-1')
        host.submit('r.2', 'echo never', env: 'bad-1')

        when:
        host.agent('start')

        then:
        host.waitState('r.1', 'ABORTED')
        host.waitState('r.2', 'ABORTED')
        host.read('runs/r.1/reason') == 'environment bad-1 failed: command failed (exit 4)\n'
        host.read('envs/bad-1/.failed') == 'command failed (exit 4)\n'
        host.read('envs/bad-1/setup.log').contains('boom')
        !host.exists('runs/r.1/out.log')
        !host.exists('envs/bad-1/.ready')
        host.pollLines().find { it[0] == 'env' } == ['env', 'bad-1', 'FAILED', 'command failed (exit 4)']
    }

    def "with every cpu taken, the runs of an environment that fails further on in the queue are still aborted"() {
        given: 'one cpu, held by a long run'
        host.cpus(1)
        host.submit('a.1', 'sleep 30', cpus: 1)
        host.agent('start')
        // (only once the cpu is taken: an environment that failed first would be met by a walk with cpus to spare)
        assert host.waitState('a.1', 'RUNNING')

        when: 'more runs are queued, before the ones of an environment that fails'
        (2..6).each { host.submit("a.$it", 'true', cpus: 1) }
        host.envSpec('bad-2', command: 'exit 3')
        host.submit('z.1', 'echo never', env: 'bad-2')

        then: 'the walk that stops at the full cpus still covers the whole queue now and then'
        host.waitState('z.1', 'ABORTED')
        host.read('runs/z.1/reason') == 'environment bad-2 failed: command failed (exit 3)\n'
        host.state('a.1') == 'RUNNING'
        // (the walk aborts a run as it meets it; the runs it keeps are shown QUEUE once the scheduler chose)
        (2..6).every { host.waitState("a.$it", 'QUEUE') }

        cleanup:
        host.agent('stop')
    }

    def "two concurrent starts give one loop"() {
        given:
        host.submit('r.1', 'sleep 1')

        when:
        def threads = (1..4).collect { Thread.start { host.agent('start') } }
        threads*.join(20_000)

        then:
        host.waitFor { host.loops().size() == 1 }
        host.holdsFor(0.4) { host.loops().size() == 1 }
        host.waitState('r.1', 'DONE')
    }

    def "the agent exits when idle, and a later start picks up new runs"() {
        given:
        host.env.KATAPULT_AGENT_IDLE = '1'
        host.submit('r.1', 'echo one')
        host.agent('start')

        expect:
        host.waitState('r.1', 'DONE')
        host.waitFor { host.loops().isEmpty() }
        !host.exists('agent.pid')
        host.pollLines()[0] == ['agent', 'none']

        when:
        host.submit('r.2', 'echo two')
        def again = host.agent('start')

        then:
        again.out.trim() == 'started'
        host.waitState('r.2', 'DONE')
        host.read('runs/r.2/out.log') == 'two\n'
    }

    def "stop aborts the running runs, kills their processes, and keeps queued runs for the next start"() {
        given:
        host.cpus(1)
        host.submit('long.1', 'echo $$ > pid; exec sleep 30')
        host.submit('next.1', 'echo next')
        host.agent('start')
        host.waitState('long.1', 'RUNNING')
        host.waitFor { host.exists('runs/long.1/work/pid') && host.read('runs/long.1/work/pid').trim() }
        def sleeper = host.read('runs/long.1/work/pid').trim() as long

        when:
        def stopped = host.agent('stop')

        then:
        stopped.code == 0
        host.state('long.1') == 'ABORTED'
        host.read('runs/long.1/reason') == 'stopped\n'
        host.waitFor(5) { host.gone(sleeper) }
        host.loops().isEmpty()
        host.state('next.1') == 'QUEUE'

        when: 'stopping again changes nothing, and polling does not restart the agent'
        def again = host.agent('stop')
        def lines = host.pollLines()

        then:
        again.code == 0
        lines[0] == ['agent', 'none']
        host.holdsFor(0.3) { host.loops().isEmpty() }
        host.state('next.1') == 'QUEUE'

        when:
        host.agent('start')

        then:
        host.waitState('next.1', 'DONE')
    }

    def "a new agent counts the cpus of runs an earlier agent left running"() {
        given:
        host.cpus(1)
        host.submit('first.1', 'date +%s%N > t0; sleep 1; date +%s%N > t1')
        host.agent('start')
        host.waitState('first.1', 'RUNNING')
        host.kill9(host.read('agent.pid').trim().split(' ')[0] as long)
        host.waitFor { host.loops().isEmpty() }

        when:
        host.submit('second.1', 'date +%s%N > t0')
        host.agent('start')

        then:
        host.waitState('first.1', 'DONE')
        host.waitState('second.1', 'DONE')
        (host.read('runs/first.1/work/t1').trim() as long) <= (host.read('runs/second.1/work/t0').trim() as long)
    }

    def "run.sh, told TERM alone, marks its run ABORTED stopped and kills its command"() {
        given:
        host.submit('t.1', 'echo $$ > pid; sleep 30; echo never')
        host.agent('start')
        host.waitState('t.1', 'RUNNING')
        host.waitFor { host.exists('runs/t.1/work/pid') && host.read('runs/t.1/work/pid').trim() }
        def child = host.read('runs/t.1/work/pid').trim() as long
        def runner = host.read('runs/t.1/pid').trim() as long

        when:
        ProcessHandle.of(runner).ifPresent { it.destroy() }

        then:
        host.waitState('t.1', 'ABORTED')
        host.read('runs/t.1/reason') == 'stopped\n'
        host.waitFor(5) { host.gone(child) && host.gone(runner) }
        host.read('runs/t.1/out.log') == ''
    }

    def "a run that needs more cpus than the instance has runs alone"() {
        given:
        host.cpus(2)
        host.submit('big.1', 'date +%s%N > t0; sleep 0.3; date +%s%N > t1', cpus: 8)
        host.submit('small.1', 'date +%s%N > t0; sleep 0.3; date +%s%N > t1', cpus: 1)

        when:
        host.agent('start')

        then:
        host.waitState('big.1', 'DONE')
        host.waitState('small.1', 'DONE')
        (host.read('runs/big.1/work/t1').trim() as long) <= (host.read('runs/small.1/work/t0').trim() as long)
    }

    def "poll reports a run whose process was killed -9 with its agent as ABORTED, process vanished"() {
        given:
        host.submit('v.1', 'echo $$ > pid; sleep 30')
        host.agent('start')
        host.waitState('v.1', 'RUNNING')
        host.waitFor { host.exists('runs/v.1/work/pid') && host.read('runs/v.1/work/pid').trim() }
        def child = host.read('runs/v.1/work/pid').trim() as long
        def runner = host.read('runs/v.1/pid').trim() as long
        def agent = host.read('agent.pid').trim().split(' ')[0] as long

        when:
        host.kill9(agent)
        host.kill9(runner)
        host.waitFor { host.gone(runner) }
        def lines = host.pollLines()

        then:
        lines.find { it[0] == 'run' }.with { it[1] == 'v.1' && it[2] == 'ABORTED' && it[3] == '-' && it[6] == 'process vanished' }
        host.state('v.1') == 'ABORTED'
        host.read('runs/v.1/reason') == 'process vanished\n'
        lines[0] == ['agent', 'none']
        host.waitFor { host.gone(child) }   // what the run left is gone too
    }

    def "poll prints one line per environment and run, tab-separated, with - for empty fields"() {
        given:
        host.envSpec('e-1', command: 'true')
        Files.writeString(host.root.resolve('envs/e-1/.ready'), '1\n')
        host.envSpec('e-2', command: 'true')
        Files.writeString(host.root.resolve('envs/e-2/.failed'), 'pip install failed (exit 1)\n')
        host.submit('done.1', 'true')
        host.write('runs/done.1/state', 'DONE\n')
        host.write('runs/done.1/exit', '0\n')
        host.write('runs/done.1/start', '100\n')
        host.write('runs/done.1/end', '160\n')
        host.submit('rebooted.1', 'true')
        host.write('runs/rebooted.1/state', 'RUNNING\n')
        host.write('runs/rebooted.1/pid', '1\n')
        host.write('runs/rebooted.1/boot', 'another-boot\n')
        host.write('runs/rebooted.1/start', '100\n')
        host.submit('tab.1', 'true')
        host.write('runs/tab.1/state', 'ABORTED\n')
        host.write('runs/tab.1/reason', 'a\tb\r\n')
        host.remove('queue/tab.1')
        host.remove('queue/done.1')
        host.remove('queue/rebooted.1')
        Files.createDirectories(host.root.resolve('runs/part.1.part'))
        host.write('runs/part.1.part/state', 'WAIT\n')

        when:
        host.write('stopped', '')   // keep the agent out of it
        def out = host.poll().out

        then:
        out.endsWith('\n')
        def lines = out.readLines()
        lines.every { !it.contains(' \t') && !it.split('\t', -1).any { f -> f.isEmpty() } }
        lines*.split('\t', -1)*.toList() == [
                ['agent', 'none'],
                ['env', 'e-1', 'READY', '-'],
                ['env', 'e-2', 'FAILED', 'pip install failed (exit 1)'],
                ['run', 'done.1', 'DONE', '0', '100', '160', '-', '-'],
                ['run', 'rebooted.1', 'ABORTED', '-', '100', lines[4].split('\t')[5], 'instance rebooted', 'LOST_REBOOT'],
                ['run', 'tab.1', 'ABORTED', '-', '-', '-', 'a b', '-'],
        ]
        lines[4].split('\t')[5].isLong()
        host.state('rebooted.1') == 'ABORTED'
        host.read('runs/rebooted.1/reason') == 'instance rebooted\n'
    }

    def "poll with - reports only the runs named on stdin, and nothing outside runs/"() {
        given:
        ['a.1', 'b.1', 'c.1'].each {
            host.submit(it, 'true')
            host.write("runs/$it/state", 'DONE\n')
            host.remove("queue/$it")
        }
        Files.createDirectories(host.root.resolve('elsewhere'))
        host.write('elsewhere/state', 'DONE\n')
        host.write('stopped', '')   // keep the agent out of it

        when:
        def out = host.bash(['bash', '-c', 'printf "%s\\n" c.1 ../elsewhere . .. missing.1 a.1 | bash "$0" "$1" -',
                             host.bin.resolve('poll.sh').toString(), host.root.toString()]).out

        then:
        out.readLines()*.split('\t', -1)*.toList()*.take(3) == [['agent', 'none'], ['run', 'c.1', 'DONE'], ['run', 'a.1', 'DONE']]
    }

    def "poll starts the agent when work waits and none runs"() {
        given:
        host.submit('r.1', 'echo hi')

        when:
        def lines = host.pollLines()

        then:
        lines[0] == ['agent', 'started']
        lines[1] == ['run', 'r.1', 'WAIT', '-', '-', '-', '-', '-']
        host.waitState('r.1', 'DONE')
        host.pollLines()[0][1] in ['running', 'none']
    }

    def "the agent outlives the short-lived shell that started it"() {
        given:
        host.submit('r.1', 'sleep 1; echo survived')

        when: 'a caller in its own process group starts the agent, then its whole group is killed'
        def caller = host.bash(['setsid', 'bash', '-c',
                                'bash "$1/bin/agent.sh" "$1" start; kill -KILL 0', 'caller', host.root.toString()])

        then:
        caller.code == 137
        caller.out.trim() == 'started'
        host.waitState('r.1', 'RUNNING')
        host.waitState('r.1', 'DONE')
        host.read('runs/r.1/out.log') == 'survived\n'
    }

    def "poll reads thousands of finished runs with bash's builtins alone, no process per run"() {
        given:
        def runs = host.root.resolve('runs')
        (1..2000).each { i ->
            def d = Files.createDirectories(runs.resolve("h$i" + '.1'))
            Files.writeString(d.resolve('state'), 'DONE\n')
            Files.writeString(d.resolve('exit'), '0\n')
        }

        when: 'no command can be found: any process started per run would fail the poll'
        host.env.PATH = host.home.resolve('no-commands-here').toString()
        def out = host.poll().out

        then: '(the cost of a poll in time is measured by bench/, never by a test)'
        out.readLines().size() == 2001
        out.readLines()[1] == 'run\th1.1\tDONE\t0\t-\t-\t-\t-'
    }
}

/** A temp HOME with R = $HOME/.katapult/proj and the scripts installed in R/bin, as the session leaves them. */
class ScriptsFixture implements Closeable {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')
    static final Path STANDINS = Path.of(System.getProperty('basedir', '.')).resolve('tests/resources/standins')

    final Path home
    final Path root
    final Path bin
    final Map<String, String> env = [:]

    static class Result {
        int code
        String out
        String err
        String toString() { "exit $code\n--- stdout\n$out--- stderr\n$err" }
    }

    ScriptsFixture(Path tmp) {
        home = Files.createDirectories(tmp.resolve('home'))
        root = home.resolve('.katapult/proj')
        bin = Files.createDirectories(root.resolve('bin'))
        ['queue', 'runs', 'envs', 'files'].each { Files.createDirectories(root.resolve(it)) }
        katapult.remote.AgentScripts.NAMES.each {
            Files.copy(TEMPLATES.resolve(it), bin.resolve(it))
        }
        env.putAll(System.getenv())
        env.HOME = home.toString()
        env.KATAPULT_AGENT_TICK = '0.05'
        env.KATAPULT_AGENT_IDLE = '5'
        env.KATAPULT_STOP_GRACE = '2'
        env.remove('OMP_NUM_THREADS')
        cpus(4)
    }

    /**
     * Puts the named stand-ins (tests/resources/standins), executable, in a bin folder first on PATH; they record
     * their calls in {@link #standinLog}. A name {@code source:name} installs a stand-in under another name.
     */
    Path standins(String... names) {
        Path dir = Files.createDirectories(home.resolve('standins'))
        names.each {
            def (source, name) = it.contains(':') ? it.split(':') : [it, it]
            Path target = dir.resolve(name as String)
            Files.copy(STANDINS.resolve(source as String), target)
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString('rwxr-xr-x'))
        }
        if (!env.PATH.startsWith(dir.toString() + ':')) {
            env.PATH = dir.toString() + ':' + env.PATH
        }
        env.KATAPULT_STANDIN_LOG = standinLog.toString()
        dir
    }

    Path getStandinLog() { home.resolve('standins.log') }

    /** The stand-ins' calls, one line each, with this R written as R. */
    List<String> calls() {
        Files.exists(standinLog) ? Files.readAllLines(standinLog)*.replace(root.toString(), 'R') : []
    }

    void cpus(int n) { write('cpus', "$n\n") }

    /** What the session's submit step writes: the run folder with state WAIT, then the queue entry. */
    void submit(Map opts = [:], String rid, String cmd) {
        Path d = Files.createDirectories(root.resolve("runs/$rid/work"))
        Files.writeString(d.resolve('../cmd').normalize(), cmd + '\n')
        write("runs/$rid/env", opts.env ? "${opts.env}\n" : '')
        write("runs/$rid/cpus", "${opts.cpus ?: 1}\n")
        List outputs = opts.outputs ?: []
        write("runs/$rid/outputs", outputs ? outputs.join('\n') + '\n' : '')
        write("runs/$rid/state", 'WAIT\n')
        write("queue/$rid", '')
    }

    /** An environment's spec folder: every option is one spec file. */
    void envSpec(Map files, String key) {
        Path spec = Files.createDirectories(root.resolve("envs/$key/spec"))
        files.each { name, text ->
            Path f = spec.resolve(name as String)
            Files.createDirectories(f.parent)
            Files.writeString(f, text instanceof List ? text.join('\n') + '\n' : text + '\n')
        }
    }

    void write(String rel, String text) {
        Path f = root.resolve(rel)
        Files.createDirectories(f.parent)
        Files.writeString(f, text)
    }

    String read(String rel) { Files.readString(root.resolve(rel)) }

    boolean exists(String rel) { Files.exists(root.resolve(rel)) }

    void remove(String rel) { Files.deleteIfExists(root.resolve(rel)) }

    String state(String rid) {
        Path f = root.resolve("runs/$rid/state")
        Files.exists(f) ? Files.readString(f).trim() : null
    }

    boolean waitState(String rid, String want, double seconds = 20) {
        waitFor(seconds) {
            def s = state(rid)
            if (s in ['DONE', 'ABORTED'] && s != want) {
                throw new AssertionError("run $rid is $s, not $want: " + (exists("runs/$rid/reason") ? read("runs/$rid/reason") : '')
                        + '\nagent.log:\n' + (exists('agent.log') ? read('agent.log') : ''))
            }
            s == want
        }
    }

    boolean waitFor(double seconds = 20, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9)
        while (System.nanoTime() < deadline) {
            if (condition()) {
                return true
            }
            sleep(20)
        }
        throw new AssertionError("condition not met within ${seconds}s\nagent.log:\n"
                + (exists('agent.log') ? read('agent.log') : '-'))
    }

    /**
     * What must not happen cannot be waited for: checks {@code condition} again and again for {@code seconds}
     * (several agent passes at the specs' 0.1 s tick) and fails the first time it does not hold.
     */
    boolean holdsFor(double seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9)
        while (System.nanoTime() < deadline) {
            if (!condition()) {
                throw new AssertionError("condition stopped holding within ${seconds}s\nagent.log:\n"
                        + (exists('agent.log') ? read('agent.log') : '-'))
            }
            sleep(20)
        }
        condition()
    }

    Result agent(String command) { bash(['bash', bin.resolve('agent.sh').toString(), root.toString(), command]) }

    Result poll() { bash(['bash', bin.resolve('poll.sh').toString(), root.toString()]) }

    List<List<String>> pollLines() {
        def r = poll()
        assert r.code == 0: r.toString()
        r.out.readLines()*.split('\t', -1)*.toList()
    }

    Result envSetup(String key) { bash(['bash', bin.resolve('env.sh').toString(), root.resolve("envs/$key").toString()], 60) }

    /** Runs a command with this host's environment; fails if it, or anything holding its pipes, outlives the timeout. */
    Result bash(List<String> command, long timeoutSeconds = 30) {
        def pb = new ProcessBuilder(command).directory(home.toFile())
        pb.environment().clear()
        pb.environment().putAll(env)
        Process p = pb.start()
        p.outputStream.close()
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def tOut = Thread.start { out << p.inputStream }
        def tErr = Thread.start { err << p.errorStream }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            throw new AssertionError("timed out: $command")
        }
        tOut.join(5_000)
        tErr.join(5_000)
        if (tOut.alive || tErr.alive) {
            throw new AssertionError("$command returned but its output pipes stayed open")
        }
        new Result(code: p.exitValue(), out: out.toString(StandardCharsets.UTF_8), err: err.toString(StandardCharsets.UTF_8))
    }

    String bootId() { Files.readString(Path.of('/proc/sys/kernel/random/boot_id')).trim() }

    /** Live agent loops of this R. */
    List<Long> loops() {
        processes().findAll { pid, cmd -> cmd.contains('agent.sh') && cmd.contains(root.toString()) && cmd.endsWith('\0loop') }
                .keySet().toList()
    }

    void kill9(long pid) { ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }

    /** The process has exited (a zombie waiting for its parent counts as gone). */
    boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/$pid/stat"))
            stat.substring(stat.lastIndexOf(')') + 2).startsWith('Z')
        } catch (IOException ignored) {
            true
        }
    }

    /** Processes started with this HOME, pid → NUL-separated command line. */
    Map<Long, String> processes() {
        LeftoverProcesses.under(home)
    }

    /** Stops the agent as the session would, then kills anything this HOME still runs. */
    @Override
    void close() {
        try {
            if (Files.exists(bin.resolve('agent.sh'))) {
                bash(['bash', bin.resolve('agent.sh').toString(), root.toString(), 'stop'], 30)
            }
        } finally {
            processes().keySet().each { kill9(it) }
        }
    }
}
