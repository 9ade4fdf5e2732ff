package katapult.provider.slurm

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.config.Config
import katapult.providers.ProviderFactory
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.SshSettings
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * A running task that Slurm requeues ({@code scontrol requeue}: killed, PENDING again, then run again) against the
 * single-node test cluster: Katapult follows it, its run shows QUEUE with Slurm's reason meanwhile, ends DONE on the
 * second execution with its output fetched, and nothing is submitted twice.
 */
@Timeout(180)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmRequeueSpec extends Specification {

    @TempDir
    Path dir

    def cleanup() {
        LeftoverProcesses.kill(dir)
    }

    def "a task Slurm requeues while it runs is followed, not resubmitted: one array, the run DONE, its output fetched"() {
        given: 'a run that notes each time Slurm starts it'
        def ws = Files.createDirectories(dir.resolve('ws'))
        def home = Files.createDirectories(dir.resolve('home'))
        def starts = dir.resolve('starts.txt')
        def file = Files.writeString(ws.resolve('slurm.groovy'), """
        katapult {
            project 'slurmrequeue'
            provider 'slurm'
            instance { name 'cluster' }
            job {
                name 'work'
                // (the first execution outlasts the spec's requeue whatever the machine's load; the second is short)
                runCommand 'n=\${SLURM_RESTART_COUNT:-0}; echo "\$KATAPULT_RUN_ID \$n" >> ${starts}; if [ "\$n" = 0 ]; then sleep 60; else sleep 2; fi; echo "restarts \$n" > out.txt'
                outputFiles 'out.txt'
            }
        }
        """)
        def events = new CopyOnWriteArrayList<Event.RunChanged>()
        def session = Session.open(ws, file, { if (it instanceof Event.RunChanged) { events << it } }, providers(home))

        when: 'Slurm requeues its task once it runs, and lets it start again at once (not after its usual delay)'
        def finished = null
        def runner = Thread.start { finished = session.runAll(Duration.ofSeconds(120)) }
        assert SlurmProviderSpec.waitFor { Files.exists(starts) }
        // (requeued before Katapult's poll saw it run, the run would go QUEUE → QUEUE: nothing to follow)
        assert SlurmProviderSpec.waitFor { events.any { it.run().state() == RunState.RUNNING } }
        def task = taskOf(home.resolve('.katapult/slurmrequeue/instances/cluster'))
        assert SlurmCluster.command('squeue', '-h', '-j', task, '-o', '%t').out.strip() == 'R'
        assert SlurmCluster.command('scontrol', 'requeue', task).code == 0
        assert SlurmProviderSpec.waitFor { pending(task) }: whatHappened(task, events)
        // (Slurm holds a requeued task back for a while: Katapult's poll sees it pending before it is let go)
        assert SlurmProviderSpec.waitFor { events.any { it.from() == RunState.RUNNING && it.run().state() == RunState.QUEUE } }:
                whatHappened(task, events)
        assert SlurmCluster.command('scontrol', 'update', "jobid=$task", 'StartTime=now').code == 0
        runner.join(120_000)
        def run = session.runs().first().run()
        session.close()

        then: 'the run went through once more, as the same attempt, and ended DONE with the second execution\'s output'
        finished
        run.state() == RunState.DONE
        run.attempt() == 1
        run.preemptions() == 0
        Files.readAllLines(starts)*.split(' ')*.getAt(1) == ['0', '1']
        Files.readString(ws.resolve('results/slurmrequeue/work/1/out.txt')).strip() == 'restarts 1'

        and: 'Katapult showed it waiting in the queue again, with Slurm\'s reason, and never ABORTED'
        def requeued = events.find { it.from() == RunState.RUNNING && it.run().state() == RunState.QUEUE }
        requeued != null
        requeued.run().reason().startsWith('Slurm: requeued, pending (')
        events.every { it.run().state() != RunState.ABORTED }

        and: 'one array of one task: nothing was submitted twice'
        SlurmProviderSpec.arrays(home, 'slurmrequeue').values().toList() == [1]
    }

    /** The task (JOB_TASK) of the one array submitted from the instance folder {@code where}. */
    static String taskOf(Path where) {
        def out = SlurmCluster.command('squeue', '-h', '-r', '-o', '%i|%Z').out
        def tasks = out.readLines()*.split('\\|').findAll { it.size() == 2 && it[1] == where.toString() }*.getAt(0)
        assert tasks.size() == 1: out
        tasks[0]
    }

    /** What Slurm and Katapult said, for a failure's message: a wait that ran out shows why. */
    static String whatHappened(String task, List<Event.RunChanged> events) {
        def log = Path.of(System.getenv('KATAPULT_SLURM_DIR') ?: '/var/tmp/katapult-slurm', 'log/slurmctld.log')
        """squeue: ${SlurmCluster.command('squeue', '-h', '-r', '-t', 'all', '-o', '%i %t %r').out.strip()}
        |scontrol: ${SlurmCluster.command('scontrol', 'show', 'job', task).out.strip()}
        |runs: ${events.collect { "${it.from()} -> ${it.run().state()} (${it.run().reason()})" }}
        |slurmctld.log: ${Files.exists(log) ? Files.readAllLines(log).takeRight(15).join('\n') : 'none'}""".stripMargin()
    }

    static boolean pending(String task) {
        SlurmCluster.command('squeue', '-h', '-j', task, '-o', '%t').out.strip() == 'PD'
    }

    /** The provider with the login node's home in this spec's folder. */
    ProviderFactory providers(Path home) {
        { Config config, Path stateDir ->
            new SlurmProvider(config, SshSettings.defaults(stateDir.resolve('known_hosts')), home)
        } as ProviderFactory
    }
}
