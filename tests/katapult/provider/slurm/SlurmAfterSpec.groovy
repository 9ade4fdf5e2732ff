package katapult.provider.slurm

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.config.Config
import katapult.providers.ProviderFactory
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.SshSettings
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * A job with `after` on the slurm provider, against the single-node test cluster: its array is submitted while the
 * upstream runs still run, waits in Slurm's queue (afterok on their tasks), and its task takes their outputs from
 * their run folders. Skipped, with the reason, where the cluster cannot start.
 */
@Timeout(240)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmAfterSpec extends Specification {

    static {
        def why = SlurmCluster.unavailable()
        if (why != null) {
            System.err.println("SlurmAfterSpec SKIPPED: $why")
        }
    }

    @TempDir
    Path dir

    def cleanup() {
        LeftoverProcesses.kill(dir)
    }

    def "the downstream array is submitted before its upstream runs finished, waits for them in Slurm, and runs on their outputs"() {
        given: 'upstream runs that note, while they run, what the queue holds'
        def ws = Files.createDirectories(dir.resolve('ws'))
        def home = Files.createDirectories(dir.resolve('home'))
        def queue = dir.resolve('queue-while-up-runs.txt')
        def file = Files.writeString(ws.resolve('slurm.groovy'), """
        katapult {
            project 'slurmafter'
            provider 'slurm'
            instance { name 'cluster' }
            job { name 'up'; runCommand 'sleep 6; squeue -h -r -u "\$(id -un)" -o "%j|%T|%r" >> ${queue}; echo "up \$KATAPULT_RUN_ID" > up.txt'; outputFiles 'up.txt'; repeat 2 }
            job { name 'down'; after 'up'; runCommand 'cat up/1/up.txt up/2/up.txt > down.txt'; outputFiles 'down.txt' }
        }
        """)

        when:
        def session = Session.open(ws, file, { }, providers(home))
        def finished = session.runAll(Duration.ofSeconds(150))
        def runs = session.runs().collectEntries { [(it.run().job() + '/' + it.run().repeat()): it] }
        session.close()

        then: 'every run is DONE, the downstream one on the upstream outputs'
        finished
        runs.values().every { it.state() == RunState.DONE }
        Files.readAllLines(ws.resolve('results/slurmafter/down/1/down.txt')) ==
                (1..2).collect { Files.readString(ws.resolve("results/slurmafter/up/$it/up.txt")).strip() }
        Files.readString(ws.resolve('results/slurmafter/up/1/up.txt')).startsWith('up ')

        and: 'its array was in Slurm queue, held by the dependency, while the upstream ones ran'
        Files.readAllLines(queue).any { it ==~ /katapult\.slurmafter\.down\.[0-9a-f]{10}\|PENDING\|Dependency/ }
    }

    def "a downstream run that takes no output of its failing upstream run waits for it in Slurm, then is ABORTED naming it"() {
        given: 'an upstream run that fails while its downstream array waits for it in Slurm'
        def ws = Files.createDirectories(dir.resolve('ws'))
        def home = Files.createDirectories(dir.resolve('home'))
        def file = Files.writeString(ws.resolve('slurm.groovy'), """
        katapult {
            project 'slurmafterfail'
            provider 'slurm'
            instance { name 'cluster' }
            job { name 'up'; runCommand 'sleep 3; echo broken >&2; exit 3' }
            job { name 'down'; after 'up'; runCommand 'echo never > down.txt'; outputFiles 'down.txt' }
        }
        """)

        when:
        def session = Session.open(ws, file, { }, providers(home))
        def finished = session.runAll(Duration.ofSeconds(90))
        def runs = session.runs().collectEntries { [(it.run().job()): it.run()] }
        session.close()

        then: 'the upstream run failed with its exit code'
        finished
        runs.up.state() == RunState.ABORTED
        runs.up.exit() == 3

        and: 'the downstream one is ABORTED with the run it waited for named, as on any provider'
        runs.down.state() == RunState.ABORTED
        runs.down.reason().contains('up/1')
        runs.down.reason().contains('ABORTED')
        runs.down.attempt() == 1
        // (taken back from Slurm once, when its dependency could never be met; never placed again)
        runs.down.preemptions() <= 1
        !Files.exists(ws.resolve('results/slurmafterfail/down/1/down.txt'))

        and: 'each job went to Slurm as one array, once'
        SlurmProviderSpec.arrays(home, 'slurmafterfail').values().sort() == [1, 1]
    }

    /** The provider with the login node's home in this spec's folder. */
    ProviderFactory providers(Path home) {
        { Config config, Path stateDir ->
            new SlurmProvider(config, SshSettings.defaults(stateDir.resolve('known_hosts')), home)
        } as ProviderFactory
    }
}
