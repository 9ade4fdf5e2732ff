package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.TempDir

/**
 * poll.sh on a Slurm login node (a `batch` instance folder): each unfinished run is judged by what one squeue call says
 * of its task (sacct's, for a task squeue no longer shows). squeue, sacct and scancel are stand-ins on the PATH (fixed
 * answers; scancel writes down what it was asked); no cluster, no agent.
 */
class SlurmPollSpec extends Specification {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')

    @TempDir
    Path dir

    Path root
    Path bin

    def setup() {
        root = Files.createDirectories(dir.resolve('R'))
        bin = Files.createDirectories(root.resolve('bin'))
        ['protocol.sh', 'lib.sh', 'poll.sh', 'agent.sh', 'slurm.sh', 'scheduler.sh', 'lifecycle.sh', 'spot.sh'].each {
            Files.copy(TEMPLATES.resolve(it), bin.resolve(it))
        }
        Files.writeString(root.resolve('batch'), 'slurm\n')
        Files.createDirectories(root.resolve('arrays'))
        Files.writeString(root.resolve('arrays/katapult.p.j.0123456789.rids'), 'r0.1\nr1.1\nr2.1\nr3.1\n')
        Files.writeString(root.resolve('arrays/katapult.p.j.0123456789.job'), '41\n')
    }

    /** A run folder in {@code state}, with a reason code when given. */
    void run(String rid, String state, String code = null) {
        def d = Files.createDirectories(root.resolve("runs/$rid"))
        Files.writeString(d.resolve('state'), state + '\n')
        if (code != null) {
            Files.writeString(d.resolve('reason_code'), code + '\n')
            Files.writeString(d.resolve('reason'), 'stopped\n')
        }
    }

    /** A stand-in command on the PATH of poll.sh, appending its arguments to {@code <name>.calls}. */
    void standIn(String name, String body) {
        def fake = Files.createDirectories(dir.resolve('fake'))
        Files.writeString(fake.resolve(name), "#!/usr/bin/env bash\necho \"\$*\" >>'${dir.resolve(name + '.calls')}'\n$body\n")
        fake.resolve(name).toFile().setExecutable(true)
    }

    List<String> calls(String name) {
        def file = dir.resolve(name + '.calls')
        Files.exists(file) ? Files.readAllLines(file) : []
    }

    /**
     * poll.sh's run lines, rid → [state, reason, code], with squeue answering {@code answer} (exit {@code code}), and
     * sacct {@code accounting} (null: accounting is off, sacct fails as Slurm's does then).
     */
    Map<String, List<String>> poll(String answer, int code = 0, String accounting = null) {
        def fake = dir.resolve('fake')
        standIn('squeue', "cat <<'EOF'\n$answer\nEOF\nexit $code")
        standIn('sacct', accounting == null ? "echo 'sacct: error: Slurm accounting storage is disabled' >&2; exit 1"
                : "cat <<'EOF'\n$accounting\nEOF")
        standIn('scancel', 'exit 0')
        def pb = new ProcessBuilder('bash', bin.resolve('poll.sh').toString(), root.toString()).redirectErrorStream(true)
        pb.environment().put('PATH', "$fake:${System.getenv('PATH')}".toString())
        def process = pb.start()
        def out = process.inputStream.text
        assert process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0: out
        out.readLines().findAll { it.startsWith('run\t') }.collectEntries { line ->
            def f = line.split('\t')
            [(f[1]): [f[2], f[6], f[7]]]
        }
    }

    def "a set-up job that ended without env.sh's verdict fails its environment and the runs waiting for it, their tasks cancelled; a cancelled one is submitted again later"() {
        given:
        ['e-1': '50', 'e-2': '51', 'e-3': '52'].each { key, job ->
            Files.createDirectories(root.resolve("envs/$key/spec"))
            Files.writeString(root.resolve("envs/$key/.job"), job + '\n')
        }
        run('r0.1', 'WAIT')
        Files.writeString(root.resolve('runs/r0.1/env'), 'e-1\n')
        run('r1.1', 'WAIT')
        Files.writeString(root.resolve('runs/r1.1/env'), 'e-3\n')

        when:
        def seen = poll('50_N/A|TO|TIMEOUT|TimeLimit\n51_N/A|CA|CANCELLED|None\n52_N/A|R|RUNNING|None\n'
                + '41_0|PD|PENDING|DependencyNeverSatisfied\n41_1|PD|PENDING|Dependency')

        then:
        seen['r0.1'] == ['ABORTED', 'environment e-1 failed: set-up job 50 ended without a verdict (Slurm: TIMEOUT; see setup.log)', 'ENV_FAILED']
        seen['r1.1'] == ['WAIT', 'Slurm: pending (Dependency)', '-']
        calls('scancel') == ['41_0']
        Files.readString(root.resolve('envs/e-1/.failed')).contains('TIMEOUT')
        !Files.exists(root.resolve('envs/e-2/.job')) && !Files.exists(root.resolve('envs/e-2/.failed'))
        !Files.exists(root.resolve('envs/e-3/.failed'))
    }

    def "a task whose upstream task did not succeed (DependencyNeverSatisfied) is cancelled and its run placed again"() {
        given:
        run('r0.1', 'WAIT')
        run('r1.1', 'QUEUE')

        when:
        def seen = poll('41_0|PD|PENDING|DependencyNeverSatisfied\n41_1|PD|PENDING|Dependency')

        then:
        seen['r0.1'] == ['PREEMPTED', 'Slurm: a run it waits for did not succeed (DependencyNeverSatisfied, task 41_0); placed again', 'PREEMPTED']
        seen['r1.1'] == ['QUEUE', 'Slurm: pending (Dependency)', '-']
        calls('scancel') == ['41_0']
    }

    def "a task takes its upstream outputs from their run folders, never through a link out of that folder"() {
        given: 'an upstream run whose first output is a file, the second a link to a file outside its folder'
        Files.copy(TEMPLATES.resolve('slurm-task.sh'), bin.resolve('slurm-task.sh'))
        Files.writeString(bin.resolve('run.sh'), 'echo ran > "$1/work/ran.txt"; echo DONE > "$1/state"\n')
        run('u.1', 'DONE')
        def upWork = Files.createDirectories(root.resolve('runs/u.1/work'))
        Files.writeString(upWork.resolve('a.txt'), 'from up\n')
        def secret = Files.writeString(dir.resolve('secret.txt'), 'secret\n')
        Files.createSymbolicLink(upWork.resolve('b.txt'), secret)
        ['r0.1': 'a.txt\tu.1\ta.txt\nu/1/a.txt\tu.1\ta.txt\n', 'r1.1': 'b.txt\tu.1\tb.txt\n'].each { rid, upstream ->
            run(rid, 'WAIT')
            Files.createDirectories(root.resolve("runs/$rid/work"))
            Files.writeString(root.resolve("runs/$rid/upstream"), upstream)
        }

        when:
        def first = task(0)
        def second = task(1)

        then: 'the first got both copies and ran, its task a success since its run is DONE'
        first == 0
        Files.readString(root.resolve('runs/r0.1/work/a.txt')) == 'from up\n'
        Files.readString(root.resolve('runs/r0.1/work/u/1/a.txt')) == 'from up\n'
        !Files.isSymbolicLink(root.resolve('runs/r0.1/work/a.txt'))
        Files.exists(root.resolve('runs/r0.1/work/ran.txt'))

        and: 'the second is ABORTED saying why, with nothing copied and nothing run, its task a failure (afterok unmet)'
        second == 1
        Files.readString(root.resolve('runs/r1.1/state')).strip() == 'ABORTED'
        Files.readString(root.resolve('runs/r1.1/reason')).startsWith("input 'b.txt' (output 'b.txt' of run u.1) is a link to ")
        !Files.exists(root.resolve('runs/r1.1/work/b.txt'))
        !Files.exists(root.resolve('runs/r1.1/work/ran.txt'))
    }

    /** slurm-task.sh as Slurm runs task {@code index} of the array: its exit code. */
    int task(int index) {
        def pb = new ProcessBuilder('bash', bin.resolve('slurm-task.sh').toString(), root.toString(), 'katapult.p.j.0123456789')
                .redirectErrorStream(true)
        pb.environment().putAll(SLURM_ARRAY_TASK_ID: String.valueOf(index), SLURM_ARRAY_JOB_ID: '41')
        def process = pb.start()
        def out = process.inputStream.text
        assert process.waitFor(20, TimeUnit.SECONDS): out
        process.exitValue()
    }

    def "an array whose runs are all finished and fetched, none of its tasks still in Slurm's hands, is forgotten; one with a run not fetched is kept"() {
        given: 'array 41 (r0.1..r3.1) all finished and fetched; array 42 (s0.1, s1.1) with one not fetched yet'
        ['r0.1', 'r1.1', 'r2.1', 's0.1', 's1.1'].each { run(it, 'DONE') }
        run('r3.1', 'ABORTED', 'EXIT_NONZERO')
        ['r0.1', 'r1.1', 'r2.1', 'r3.1', 's0.1'].each { Files.writeString(root.resolve("runs/$it/fetched"), '1\n') }
        Files.writeString(root.resolve('arrays/katapult.p.k.0123456789.rids'), 's0.1\ns1.1\n')
        Files.writeString(root.resolve('arrays/katapult.p.k.0123456789.job'), '42\n')
        Files.writeString(root.resolve('arrays/slurm-41_0.log'), '')
        Files.writeString(root.resolve('arrays/slurm-42_0.log'), '')

        when: 'a task of 41 is still completing'
        poll('41_0|CD|COMPLETED|None\n41_1|CD|COMPLETED|None\n41_2|CG|COMPLETING|None\n41_3|F|FAILED|None\n42_0|CD|COMPLETED|None\n42_1|CD|COMPLETED|None')

        then:
        Files.exists(root.resolve('arrays/katapult.p.j.0123456789.job'))

        when: 'it ended'
        poll('41_0|CD|COMPLETED|None\n41_1|CD|COMPLETED|None\n41_2|CD|COMPLETED|None\n41_3|F|FAILED|None\n42_0|CD|COMPLETED|None\n42_1|CD|COMPLETED|None')

        then:
        !Files.exists(root.resolve('arrays/katapult.p.j.0123456789.job'))
        !Files.exists(root.resolve('arrays/katapult.p.j.0123456789.rids'))
        !Files.exists(root.resolve('arrays/slurm-41_0.log'))
        Files.exists(root.resolve('arrays/katapult.p.k.0123456789.job'))
        Files.exists(root.resolve('arrays/katapult.p.k.0123456789.rids'))
        Files.exists(root.resolve('arrays/slurm-42_0.log'))
    }

    def "a pending task shows Slurm's reason; a running one is left as run.sh says"() {
        given:
        run('r0.1', 'QUEUE')
        run('r1.1', 'RUNNING')

        expect:
        poll('41_0|PD|PENDING|Priority\n41_1|R|RUNNING|None') ==
                ['r0.1': ['QUEUE', 'Slurm: pending (Priority)', '-'], 'r1.1': ['RUNNING', '-', '-']]
    }

    def "a time limit is ABORTED SCHEDULER with Slurm's words, also over run.sh's stopped; while the task ends it shows RUNNING"() {
        given:
        run('r0.1', 'RUNNING')
        run('r1.1', 'ABORTED', 'STOPPED')
        run('r2.1', 'ABORTED', 'STOPPED')

        when:
        def seen = poll('41_0|TO|TIMEOUT|TimeLimit\n41_1|OOM|OUT_OF_MEMORY|OutOfMemory\n41_2|CG|COMPLETING|TimeLimit')

        then:
        seen['r0.1'] == ['ABORTED', 'Slurm: TIMEOUT (TimeLimit) in task 41_0', 'SCHEDULER']
        seen['r1.1'] == ['ABORTED', 'Slurm: OUT_OF_MEMORY (OutOfMemory) in task 41_1', 'SCHEDULER']
        seen['r2.1'][0] == 'RUNNING'
        Files.readString(root.resolve('runs/r0.1/state')).strip() == 'ABORTED'
    }

    def "a task Slurm requeued (pending again after it ran, or after the TERM that ended it) is followed: QUEUE with Slurm's reason, nothing rewritten"() {
        given:
        run('r0.1', 'RUNNING')
        run('r1.1', 'ABORTED', 'STOPPED')
        run('r2.1', 'QUEUE')

        when:
        def seen = poll('41_0|PD|PENDING|BeginTime\n41_1|PD|PENDING|BeginTime\n41_2|PD|PENDING|Priority')

        then:
        seen['r0.1'] == ['QUEUE', 'Slurm: requeued, pending (BeginTime)', '-']
        seen['r1.1'] == ['QUEUE', 'Slurm: requeued, pending (BeginTime)', '-']
        seen['r2.1'] == ['QUEUE', 'Slurm: pending (Priority)', '-']
        Files.readString(root.resolve('runs/r1.1/state')).strip() == 'ABORTED'
        calls('scancel').isEmpty()
    }

    def "a task whose run ended other than DONE fails, so that the arrays waiting for it are never started"() {
        given:
        Files.copy(TEMPLATES.resolve('slurm-task.sh'), bin.resolve('slurm-task.sh'))
        Files.writeString(bin.resolve('run.sh'), 'echo ABORTED > "$1/state"\n')
        run('r0.1', 'WAIT')
        Files.createDirectories(root.resolve('runs/r0.1/work'))

        expect:
        task(0) == 1
        Files.readString(root.resolve('runs/r0.1/slurm_task')).strip() == '41_0'
    }

    def "a cancelled task is stopped, a vanished or failed one lost (both retried); a finished run is never rewritten"() {
        given:
        run('r0.1', 'QUEUE')
        run('r1.1', 'RUNNING')
        run('r2.1', 'RUNNING')
        run('r3.1', 'DONE')

        when:
        def seen = poll('41_0|CA|CANCELLED|None\n41_1|F|FAILED|NonZeroExitCode\n41_3|TO|TIMEOUT|TimeLimit')

        then:
        seen['r0.1'] == ['ABORTED', 'stopped (Slurm: CANCELLED, task 41_0)', 'STOPPED']
        seen['r1.1'] == ['ABORTED', 'process vanished (Slurm: FAILED, task 41_1)', 'LOST_PROCESS']
        seen['r2.1'] == ['ABORTED', 'process vanished (Slurm: no longer known, task 41_2)', 'LOST_PROCESS']
        seen['r3.1'][0] == 'DONE'
        calls('sacct').size() == 1
    }

    def "a task whose node failed or that was preempted is PREEMPTED (placed again, no attempt taken), its task cancelled so Slurm does not start it too"() {
        given:
        run('r0.1', 'RUNNING')
        run('r1.1', 'QUEUE')
        run('r2.1', 'ABORTED', 'STOPPED')
        run('r3.1', 'DONE')

        when:
        def seen = poll('41_0|NF|NODE_FAIL|None\n41_1|PR|PREEMPTED|None\n41_2|PR|PREEMPTED|None\n41_3|NF|NODE_FAIL|None')

        then:
        seen['r0.1'] == ['PREEMPTED', 'Slurm: NODE_FAIL in task 41_0; placed again', 'PREEMPTED']
        seen['r1.1'] == ['PREEMPTED', 'Slurm: PREEMPTED in task 41_1; placed again', 'PREEMPTED']
        seen['r2.1'] == ['PREEMPTED', 'Slurm: PREEMPTED in task 41_2; placed again', 'PREEMPTED']
        seen['r3.1'][0] == 'DONE'
        calls('scancel').toSet() == ['41_0', '41_1', '41_2'].toSet()
        Files.readString(root.resolve('runs/r0.1/state')).strip() == 'PREEMPTED'

        and: 'judged once: the next poll leaves them as they are and cancels nothing more'
        poll('41_0|NF|NODE_FAIL|None')['r0.1'][0] == 'PREEMPTED'
        calls('scancel').size() == 3
    }

    def "a task squeue no longer shows is judged by accounting, in one sacct call, when there is accounting"() {
        given:
        run('r0.1', 'RUNNING')
        run('r1.1', 'RUNNING')
        run('r2.1', 'RUNNING')
        run('r3.1', 'QUEUE')

        when:
        def seen = poll('41_3|PD|PENDING|Resources', 0,
                '41_0|TIMEOUT\n41_1|NODE_FAIL\n41_2|CANCELLED by 1000\n41_[4-9]|PENDING\n41_3|COMPLETED')

        then:
        seen['r0.1'] == ['ABORTED', 'Slurm: TIMEOUT (limit reached) in task 41_0', 'SCHEDULER']
        seen['r1.1'] == ['PREEMPTED', 'Slurm: NODE_FAIL in task 41_1; placed again', 'PREEMPTED']
        seen['r2.1'] == ['ABORTED', 'stopped (Slurm: CANCELLED, task 41_2)', 'STOPPED']
        seen['r3.1'] == ['QUEUE', 'Slurm: pending (Resources)', '-']
        calls('sacct') == ['-n -P -X -j 41 -o JobID,State']
    }

    def "sacct is not asked when squeue shows every task that matters"() {
        given:
        run('r0.1', 'RUNNING')
        run('r1.1', 'DONE')

        when:
        poll('41_0|R|RUNNING|None', 0, '41_1|COMPLETED')

        then:
        calls('sacct').isEmpty()
    }

    def "when squeue does not answer nothing is judged, a run stopped by a TERM stays RUNNING, and no agent is started"() {
        given: '(r2.1: a requeue or a time limit TERMed it, as Slurm would say had it answered)'
        run('r0.1', 'QUEUE')
        run('r1.1', 'RUNNING')
        run('r2.1', 'ABORTED', 'STOPPED')

        expect:
        poll('', 1) == ['r0.1': ['QUEUE', '-', '-'], 'r1.1': ['RUNNING', '-', '-'], 'r2.1': ['RUNNING', '-', '-']]
        Files.readString(root.resolve('runs/r2.1/state')).strip() == 'ABORTED'
        !Files.exists(root.resolve('agent.pid'))
    }

    def "the task that claimed a run is the one judged, not a later array naming it"() {
        given:
        run('r0.1', 'RUNNING')
        Files.writeString(root.resolve('runs/r0.1/slurm_task'), '40_2\n')

        expect:
        poll('40_2|R|RUNNING|None\n41_0|CD|COMPLETED|None')['r0.1'] == ['RUNNING', '-', '-']
    }
}
