package katapult.provider.slurm

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Katapult driving the test cluster as its own JVM (the login node this machine, everything in a workdir of the
 * spec's folder), killed with SIGKILL while its array runs, then run again: it finds what it submitted, no run is
 * submitted or executed twice, the job waiting on it is submitted once, every output is fetched.
 */
@Timeout(240)
@Requires(value = { SlurmCluster.unavailable() == null }, reason = 'the Slurm test cluster cannot run here (see SlurmCluster.unavailable())')
@Tag('e2e')
class SlurmKillResumeSpec extends Specification {

    static final int RUNS = 4

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    /** Katapult in a JVM of its own, whose home (where a local login node's folder would be) is the spec's. */
    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List, ["-Duser.home=${Files.createDirectories(ws.resolve('home'))}".toString()])
    }

    def "killed while its array runs, Katapult resumes: nothing submitted or executed twice, every output fetched"() {
        given:
        def workdir = ws.resolve('shared/slurmkill')
        def config = Files.writeString(ws.resolve('slurmkill.groovy'), """katapult {
            project 'slurmkill'
            provider 'slurm'
            instance { name 'cluster'; workdir '${workdir}' }
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 4; echo "\$KATAPULT_RUN_ID" > out.txt'
                outputFiles 'out.txt'
                repeat $RUNS
            }
            job { name 'after'; after 'work'; runCommand 'echo after >> ${counter()}; ls -R > seen.txt'; outputFiles 'seen.txt' }
        }""")

        when: 'the first Katapult is killed with SIGKILL once Slurm runs its tasks'
        def first = katapult('run', config.toString())
        def deadline = System.currentTimeMillis() + 60_000
        while (executions().size() < 2 && first.alive && System.currentTimeMillis() < deadline) {
            sleep 20
        }
        def wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        and: 'it is run again'
        def second = katapult('run', config.toString())
        def finished = second.waitFor(150, TimeUnit.SECONDS)

        then:
        wasAlive
        finished
        second.exitValue() == 0
        executions().count { it != 'after' } == RUNS
        executions().findAll { it != 'after' }.toSet().size() == RUNS
        executions().count { it == 'after' } == 1
        (1..RUNS).every { Files.exists(ws.resolve("results/slurmkill/work/$it/out.txt")) }
        Files.exists(ws.resolve('results/slurmkill/after/1/seen.txt'))

        and: 'one array per job, the work job\'s with its four tasks: nothing was submitted twice'
        def tasks = SlurmProviderSpec.arraysIn(workdir)
        tasks.size() == 2
        tasks.values().sort() == [1, RUNS]
        !Files.exists(ws.resolve('home/.katapult'))
    }
}
