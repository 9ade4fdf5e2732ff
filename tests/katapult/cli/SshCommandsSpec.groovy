package katapult.cli

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.transport.OpenSshHosts
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * `katapult ssh` and `katapult ssh-config` against Debian's OpenSSH (a real sshd on a loopback address), reached by
 * OpenSSH's own ssh client with Katapult's key, user, port and pinned host key.
 */
@Timeout(300)
@Requires(value = { OpenSshHosts.unavailable() == null }, reason = 'OpenSSH sshd cannot run here (see OpenSshHosts.unavailable())')
@Tag('e2e')
class SshCommandsSpec extends Specification {

    @Shared
    @TempDir
    Path dir

    @Shared
    @AutoCleanup
    OpenSshHosts hosts

    @Shared
    OpenSshHosts.Host host

    @Shared
    Path ws

    def setupSpec() {
        hosts = new OpenSshHosts(dir.resolve('hosts'))
        host = hosts.start()
        ws = Files.createDirectories(dir.resolve('ws'))
        def config = Files.writeString(ws.resolve('remote.groovy'), """
            katapult {
                project 'remote'
                provider 'ssh'
                ${hosts.instanceBlock(host, 'box', 1)}
                job 'hello', { runCommand 'true' }
            }""")
        def init = katapult('init', config.toString())
        assert init.code == 0: init.out
        def started = katapult('start')
        assert started.code == 0: started.out
    }

    def cleanupSpec() {
        LeftoverProcesses.kill(dir)
    }

    record Outcome(int code, String out) { }

    /** Katapult as its own JVM (ssh needs the process's own stdin and stdout), away from the user's ~/.ssh. */
    Outcome katapult(String... args) {
        def process = KatapultJvm.start(ws, args as List, [], [KATAPULT_SSH_DIR: dir.resolve('no-user-ssh').toString()])
        assert process.waitFor(120, TimeUnit.SECONDS)
        def log = Files.list(ws).filter { it.fileName.toString().startsWith('katapult-') }
                .max { a, b -> Files.getLastModifiedTime(a) <=> Files.getLastModifiedTime(b) }.get()
        def out = Files.readString(log)
        Files.delete(log)
        new Outcome(process.exitValue(), out)
    }

    def "ssh INSTANCE -- CMD runs the command there through OpenSSH's ssh, with its exit code"() {
        when:
        def hello = katapult('ssh', 'box', '--', 'echo', 'hello-from', '"$HOME"')
        def failing = katapult('ssh', 'box', '--', 'exit 7')

        then:
        hello.code == 0
        hello.out.contains("hello-from ${host.home}")
        failing.code == 7
    }

    def "ssh names an unknown instance and the project's instances"() {
        when:
        def result = katapult('ssh', 'nope', '--', 'true')

        then:
        result.code == ExitCodes.FAILED
        result.out.contains("no instance 'nope' in project 'remote'; its instances: box")
        !result.out.contains('Exception')
    }

    def "ssh refuses a host whose key is not the pinned one, and never runs the command"() {
        given: 'the pin replaced by another key'
        def pins = ws.resolve('.katapult/remote/known_hosts')
        def saved = Files.readString(pins)
        def other = dir.resolve("other-${System.nanoTime()}")
        OpenSshHosts.run(OpenSshHosts.KEYGEN, '-q', '-t', 'ed25519', '-N', '', '-f', other.toString())
        def otherKey = Files.readString(Path.of(other.toString() + '.pub')).split(' ')[0..1].join(' ')
        Files.writeString(pins, saved.readLines().collect { it.split(' ')[0] + ' ' + otherKey }.join('\n') + '\n')

        when:
        def result = katapult('ssh', 'box', '--', 'touch', 'reached')

        then:
        result.code != 0
        result.out.contains('CHANGED')
        !Files.exists(host.home.resolve('reached'))

        cleanup:
        Files.writeString(pins, saved)
    }

    def "ssh-config prints a Host block that OpenSSH's ssh uses as it is"() {
        when:
        def printed = katapult('ssh-config')
        def file = Files.writeString(dir.resolve('katapult-remote.conf'), printed.out)
        def ssh = new ProcessBuilder('ssh', '-F', file.toString(), '-o', 'BatchMode=yes', 'remote-box', 'echo', 'via-config')
                .redirectErrorStream(true).start()
        def answer = ssh.inputStream.text

        then:
        printed.code == 0
        printed.out.contains('Host remote-box')
        printed.out.contains("HostName ${host.address}")
        printed.out.contains("Port ${host.port}")
        printed.out.contains("IdentityFile ${hosts.clientKey}")
        printed.out.contains('StrictHostKeyChecking yes')
        printed.out.contains("UserKnownHostsFile ${ws.resolve('.katapult/remote/known_hosts')}")
        ssh.waitFor(60, TimeUnit.SECONDS)
        ssh.exitValue() == 0
        answer.contains('via-config')
    }

    def "with the local provider, ssh runs the command in the sandbox, its HOME; ssh-config says it is not SSH"() {
        given:
        def local = Files.createDirectories(dir.resolve("local-${System.nanoTime()}"))
        def config = Files.writeString(local.resolve('lab.groovy'), '''katapult {
            project 'lab'
            instance { name 'sand'; cpus 1 }
            job 'j', { runCommand 'true' }
        }''')
        def run = { String... args ->
            def p = KatapultJvm.start(local, args as List)
            assert p.waitFor(120, TimeUnit.SECONDS)
            def log = Files.list(local).filter { it.fileName.toString().startsWith('katapult-') }
                    .max { a, b -> Files.getLastModifiedTime(a) <=> Files.getLastModifiedTime(b) }.get()
            def out = Files.readString(log)
            Files.delete(log)
            new Outcome(p.exitValue(), out)
        }

        when:
        def init = run('init', config.toString())
        def started = run('start')
        def shell = run('ssh', 'sand', '--', 'echo "home=$HOME pwd=$(pwd)"')
        def printed = run('ssh-config')

        then:
        init.code == 0
        started.code == 0
        def sandbox = local.resolve('.katapult/lab/local/sand')
        shell.code == 0
        shell.out.contains("home=$sandbox pwd=$sandbox")
        printed.out.contains('# lab-sand: a local sandbox, not reached over SSH')
    }
}
