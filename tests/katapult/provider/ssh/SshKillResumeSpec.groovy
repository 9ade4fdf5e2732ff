package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Katapult driving SSH hosts as its own JVM, killed with SIGKILL mid-run, then run again: it reconnects to the same
 * agents, no run is started twice, every output is fetched.
 */
@Timeout(240)
@Tag('e2e')
class SshKillResumeSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    @AutoCleanup
    SshTestHosts hosts

    static final int RUNS = 4

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
    }

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List, [], [KATAPULT_SSH_DIR: ws.resolve('no-user-ssh').toString()])
    }

    def "killed while runs are RUNNING on two SSH hosts, Katapult resumes: each run executed once, every output fetched"() {
        given:
        def two = hosts.start(2)
        def config = Files.writeString(ws.resolve('sshkill.groovy'), """katapult {
            project 'sshkill'
            provider 'ssh'
            ${hosts.instanceBlock(two[0], 'one', 2)}
            ${hosts.instanceBlock(two[1], 'two', 2)}
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 3; echo "\$KATAPULT_RUN_ID" > out.txt'
                outputFiles 'out.txt'
                repeat $RUNS
            }
        }""")

        when: 'the first Katapult is killed with SIGKILL while every run is RUNNING'
        def first = katapult('run', config.toString())
        def deadline = System.currentTimeMillis() + 60_000
        while (executions().size() < RUNS && first.alive && System.currentTimeMillis() < deadline) {
            sleep 20
        }
        def wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)
        def sessionsBefore = two*.sessions*.get()

        and: 'it is run again'
        def second = katapult('run', config.toString())
        def finished = second.waitFor(120, TimeUnit.SECONDS)

        then:
        wasAlive
        finished
        second.exitValue() == 0
        executions().size() == RUNS
        executions().toSet().size() == RUNS
        (1..RUNS).every { Files.exists(ws.resolve("results/sshkill/work/$it/out.txt")) }

        and: 'the second Katapult reached each host over one new connection, trusting the keys the first one pinned'
        two.withIndex().every { h, i -> h.sessions.get() - sessionsBefore[i] == 1 }
        Files.readAllLines(ws.resolve('.katapult/sshkill/known_hosts')).size() == 2
    }
}
