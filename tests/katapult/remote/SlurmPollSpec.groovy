package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.TempDir

/**
 * poll.sh on a Slurm login node (a `batch` instance folder): each unfinished run is judged by what one squeue call says
 * of its task. squeue is a stand-in on the PATH printing a fixed answer; no cluster, no agent.
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

    /** poll.sh's run lines, rid → [state, reason, code], with squeue answering {@code answer} (exit {@code code}). */
    Map<String, List<String>> poll(String answer, int code = 0) {
        def fake = Files.createDirectories(dir.resolve('fake'))
        Files.writeString(fake.resolve('squeue'), "#!/usr/bin/env bash\ncat <<'EOF'\n$answer\nEOF\nexit $code\n")
        fake.resolve('squeue').toFile().setExecutable(true)
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

    def "a cancelled task is stopped, a vanished or failed one lost (both retried); a finished run is never rewritten"() {
        given:
        run('r0.1', 'QUEUE')
        run('r1.1', 'RUNNING')
        run('r2.1', 'RUNNING')
        run('r3.1', 'DONE')

        when:
        def seen = poll('41_0|CA|CANCELLED|None\n41_1|NF|NODE_FAIL|None\n41_3|TO|TIMEOUT|TimeLimit')

        then:
        seen['r0.1'] == ['ABORTED', 'stopped (Slurm: CANCELLED, task 41_0)', 'STOPPED']
        seen['r1.1'] == ['ABORTED', 'process vanished (Slurm: NODE_FAIL, task 41_1)', 'LOST_PROCESS']
        seen['r2.1'] == ['ABORTED', 'process vanished (Slurm: no longer known, task 41_2)', 'LOST_PROCESS']
        seen['r3.1'][0] == 'DONE'
    }

    def "when squeue does not answer nothing is judged, and no agent is started"() {
        given:
        run('r0.1', 'QUEUE')
        run('r1.1', 'RUNNING')

        expect:
        poll('', 1) == ['r0.1': ['QUEUE', '-', '-'], 'r1.1': ['RUNNING', '-', '-']]
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
