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
 * Environments on the slurm provider, against the single-node test cluster: each is set up once by a Slurm job of its
 * own (env.sh, with the micromamba stand-in on the login user's PATH), the arrays of its runs wait for that job, and a
 * failed set-up aborts its runs. Skipped, with the reason, where the cluster cannot start.
 */
@Timeout(300)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmEnvSpec extends Specification {

    static {
        def why = SlurmCluster.unavailable()
        if (why != null) {
            System.err.println("SlurmEnvSpec SKIPPED: $why")
        }
    }

    static final Path STANDINS = Path.of(System.getProperty('basedir', '.')).resolve('tests/resources/standins').toAbsolutePath()

    @TempDir
    Path dir

    List<Event> events = new CopyOnWriteArrayList<>()

    def cleanup() {
        LeftoverProcesses.kill(dir)
    }

    def "an environment set up once by a Slurm job the runs' array waits for, found again by a second Katapult; a failed one aborts its runs with its reason"() {
        given: 'micromamba on the login user PATH: a stand-in that takes its time and notes what the queue held meanwhile'
        def ws = Files.createDirectories(dir.resolve('ws'))
        def home = Files.createDirectories(dir.resolve('home'))
        def log = dir.resolve('standins.log')
        def queue = dir.resolve('queue-during-setup.txt')
        Path bin = Files.createDirectories(home.resolve('bin'))
        Files.writeString(bin.resolve('micromamba'), """#!/usr/bin/env bash
            sleep 6
            squeue -h -r -u "\$(id -un)" -o '%j|%T|%r' >>'${queue}'
            KATAPULT_STANDIN_LOG='${log}' exec '${STANDINS.resolve('micromamba')}' "\$@"
            """.stripIndent())
        bin.resolve('micromamba').toFile().setExecutable(true)
        def file = Files.writeString(ws.resolve('slurm.groovy'), '''
        katapult {
            project 'slurmenv'
            provider 'slurm'
            instance { name 'cluster' }
            environment { name 'sci'; envConda 'numpy' }
            environment { name 'broken'; command 'echo "cannot build this" >&2; exit 4' }
            job { name 'ok'; envName 'sci'; runCommand 'echo "$CONDA_PREFIX" > out.txt'; outputFiles 'out.txt'; repeat 2 }
            job { name 'bad'; envName 'broken'; runCommand 'echo never > out.txt'; outputFiles 'out.txt' }
        }
        ''')

        when: 'a first Katapult deploys and submits, then is gone, and the set-up job ids it left are lost'
        def first = Session.open(ws, file, { events << it }, providers(home))
        first.runAll(Duration.ofMillis(500))
        first.close()
        def envs = home.resolve('.katapult/slurmenv/instances/cluster/envs')
        Files.list(envs).withCloseable { it.toList() }.each { Files.deleteIfExists(it.resolve('.job')) }

        and: 'a second one runs the same config to the end'
        def second = Session.open(ws, file, { events << it }, providers(home))
        second.runAll(Duration.ofSeconds(150))
        def runs = second.runs().collectEntries { [(it.run().job() + '/' + it.run().repeat()): it] }
        second.close()
        println runs.collect { k, v -> "$k ${v.state()} ${v.run().reason()}" }.join('\n')

        then: 'the runs of the ready environment are DONE, in it'
        ['ok/1', 'ok/2'].every { runs[it].state() == RunState.DONE }
        (1..2).every {
            def prefix = Files.readString(ws.resolve("results/slurmenv/ok/$it/out.txt")).strip()
            prefix.startsWith(envs.toString() + '/sci-') && prefix.endsWith('/conda')
        }

        and: 'the environment was set up once, by one Slurm job, while the array waited for it'
        Files.readAllLines(log).findAll { it.startsWith('micromamba create') }.size() == 1
        setupJobs(home).findAll { it.contains('.env.sci-') }.size() == 1
        Files.readAllLines(queue).any { it ==~ /katapult\.slurmenv\.ok\.[0-9a-f]{10}\|PENDING\|Dependency/ }

        and: 'the run of the failed one is ABORTED with what failed, and the set-up log is told'
        runs['bad/1'].state() == RunState.ABORTED
        runs['bad/1'].run().reason() ==~ /environment broken-\S+ failed: command failed \(exit 4\)/
        events.any { it instanceof Event.Warning && it.toString().contains('cannot build this') }
        setupJobs(home).findAll { it.contains('.env.broken-') }.size() == 1
    }

    /** The provider with the login node's home in this spec's folder. */
    ProviderFactory providers(Path home) {
        { Config config, Path stateDir ->
            new SlurmProvider(config, SshSettings.defaults(stateDir.resolve('known_hosts')), home)
        } as ProviderFactory
    }

    /** The names of the set-up jobs submitted from {@code home}, as squeue still knows them (finished ones too). */
    static List<String> setupJobs(Path home) {
        def out = SlurmCluster.command('squeue', '-h', '-t', 'all', '-o', '%j|%Z').out
        out.readLines().findAll { it.contains('.env.') && it.split('\\|')[1].startsWith(home.toString()) }
                .collect { it.split('\\|')[0] }
    }
}
