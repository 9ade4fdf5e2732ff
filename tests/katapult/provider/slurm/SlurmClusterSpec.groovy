package katapult.provider.slurm

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The test cluster itself does what the slurm provider relies on: an array job runs one task per index, and squeue,
 * scontrol and scancel see and cancel it. Skipped, with the reason, where the cluster cannot start.
 */
@Timeout(120)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmClusterSpec extends Specification {

    static {
        def why = SlurmCluster.unavailable()
        if (why != null) {
            System.err.println("SlurmClusterSpec SKIPPED: $why")
        }
    }

    @TempDir
    Path dir

    def "an array job runs every task, and squeue shows each task by its index"() {
        when:
        def id = sbatch('--array=0-2', '--job-name=katapult.test.array', '--comment=katapult test', '-o', "$dir/task_%a.log",
                '--wrap', 'echo "task $SLURM_ARRAY_TASK_ID"')

        then:
        waitFor { (0..2).every { Files.exists(dir.resolve("task_${it}.log")) && Files.readString(dir.resolve("task_${it}.log")).contains("task $it") } }
        waitFor { tasks(id) == [(id + '_0'): 'COMPLETED', (id + '_1'): 'COMPLETED', (id + '_2'): 'COMPLETED'] }
    }

    def "scontrol shows a job, scancel cancels it while it waits or runs"() {
        given:
        def id = sbatch('--job-name=katapult.test.cancel', '--wrap', 'sleep 300')

        expect:
        SlurmCluster.command('scontrol', 'show', 'job', id).out.contains("JobId=$id")

        when:
        SlurmCluster.command('scancel', id)

        then:
        waitFor { tasks(id) == [(id): 'CANCELLED'] }
    }

    private String sbatch(String... args) {
        def run = SlurmCluster.command(*(['sbatch', '--parsable', '-D', dir.toString()] + args.toList()))
        assert run.code == 0: run.out
        run.out.trim().split(';')[0]
    }

    /** The job's tasks, id (job_index for an array) → state, as one squeue call shows them (finished ones too). */
    private static Map<String, String> tasks(String id) {
        def out = SlurmCluster.command('squeue', '-h', '-r', '-t', 'all', '-j', id, '-o', '%i|%T').out
        out.readLines().findAll { it.contains('|') }.collectEntries { it.split('\\|') as List }
    }

    private static boolean waitFor(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 60_000
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(200)
        }
        false
    }
}
