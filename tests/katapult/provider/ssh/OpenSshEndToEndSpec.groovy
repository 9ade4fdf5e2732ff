package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.OpenSshHosts
import katapult.transport.ShellQuote
import katapult.transport.SshConnections
import katapult.transport.SshSettings
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * End to end against Debian's OpenSSH: real sshd processes on loopback addresses and high ports, each with its own
 * host key, authorized_keys and HOME. Skipped, with the reason, where sshd cannot run.
 */
@Timeout(180)
@Requires(value = { OpenSshHosts.unavailable() == null }, reason = 'OpenSSH sshd cannot run here (see OpenSshHosts.unavailable())')
@Tag('e2e')
class OpenSshEndToEndSpec extends Specification {

    static {
        def why = OpenSshHosts.unavailable()
        if (why != null) {
            System.err.println("OpenSshEndToEndSpec SKIPPED: $why")
            println "OpenSshEndToEndSpec SKIPPED: $why"
        }
    }

    @Shared
    @TempDir
    Path dir

    def cleanupSpec() {
        LeftoverProcesses.kill(dir)
    }

    @Shared
    @AutoCleanup
    OpenSshHosts hosts

    @Shared
    List<OpenSshHosts.Host> three

    List<Event> events = new CopyOnWriteArrayList<>()

    def setupSpec() {
        hosts = new OpenSshHosts(dir.resolve('hosts'))
        three = (1..3).collect { hosts.start() }
    }

    SshConnections pool() {
        new SshConnections(new SshSettings(dir.resolve('no-user-ssh'), dir.resolve("kh-${System.nanoTime()}"), null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(500)))
    }

    def "over OpenSSH, arguments arrive unchanged, transfers are atomic, a missing file is NoSuchFileException"() {
        given:
        def pool = pool()
        def shell = pool.shell(three[0].target())
        def nasty = "it's \"q\" \$(touch /tmp/x) `id`; rm -rf ~\nline 2 \\ \t*"
        def local = Files.writeString(dir.resolve('up.txt'), 'data\n')

        when:
        def echoed = shell.exec('printf %s ' + ShellQuote.quote(nasty), null, Duration.ofSeconds(20))
        def home = shell.exec('echo "$HOME"').stdout().strip()
        shell.put(local, 'sub/dir/f.txt')
        shell.put(local, 'sub/dir/f.txt')
        shell.get('sub/dir/f.txt', dir.resolve('back.txt'))
        25.times { assert shell.exec("echo $it").stdout() == "$it\n" }

        then:
        echoed.stdout() == nasty
        home == three[0].home.toString()
        Files.readString(three[0].home.resolve('sub/dir/f.txt')) == 'data\n'
        Files.list(three[0].home.resolve('sub/dir')).toList()*.fileName*.toString() == ['f.txt']
        Files.readString(dir.resolve('back.txt')) == 'data\n'
        pool.connectionsOpened() == 1

        when:
        shell.get('no/such/file', dir.resolve('x'))

        then:
        thrown(NoSuchFileException)

        cleanup:
        pool?.close()
    }

    def "a config runs to the end on three OpenSSH hosts"() {
        given:
        def ws = Files.createDirectories(dir.resolve('ws'))
        def counter = ws.resolve('counter.txt')
        def file = Files.writeString(ws.resolve('openssh.groovy'), """
        katapult {
            project 'openssh'
            provider 'ssh'
            ${hosts.instanceBlock(three[0], 'o1')}
            ${hosts.instanceBlock(three[1], 'o2', 2)}
            ${hosts.instanceBlock(three[2], 'o3', 2)}
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter}; sleep 0.5; echo "\$HOME" > out.txt'
                outputFiles 'out.txt'
                repeat 9
            }
        }
        """)

        when:
        def session = Session.open(ws, file, { events << it })
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.down(true, false)
        session.close()

        then:
        finished
        runs.every { it.state() == RunState.DONE }
        Files.readAllLines(counter).size() == 9
        Files.readAllLines(counter).toSet().size() == 9
        runs.every { r ->
            Files.readString(ws.resolve("results/openssh/work/${r.run().repeat()}/out.txt")).strip() ==
                    three[['o1', 'o2', 'o3'].indexOf(r.run().instance())].home.toString()
        }
        runs*.run()*.instance().toSet().size() == 3
        three.every { !Files.exists(it.home.resolve('.katapult/openssh')) }
        Files.readAllLines(ws.resolve('.katapult/openssh/known_hosts')).size() == 3
    }
}
