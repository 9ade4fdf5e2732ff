package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.transport.SshTestHosts
import org.apache.sshd.common.config.keys.PublicKeyEntry
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * `katapult ssh` and `katapult ssh-config` on aws instances: the fake EC2's instance is a MINA SSHD test host on a
 * loopback address, reached by OpenSSH's own ssh client through the printed block, its host key checked against
 * the pin Katapult wrote under the instance id (HostKeyAlias).
 */
@Timeout(300)
@Requires(value = { AwsSshCommandsSpec.sshClient() }, reason = "OpenSSH's ssh client is not installed")
@Tag('e2e')
class AwsSshCommandsSpec extends Specification {

    @Shared
    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @Shared
    @TempDir
    Path ws

    @Shared
    @AutoCleanup
    SshTestHosts hosts

    @Shared
    Map<String, SshTestHosts.Host> machines = new ConcurrentHashMap<>()

    @Shared
    int port

    static boolean sshClient() {
        try {
            new ProcessBuilder('ssh', '-V').redirectErrorStream(true).start().waitFor() == 0
        } catch (IOException ignored) {
            false
        }
    }

    def setupSpec() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
        port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        // the project's key is the test hosts' client key: what the fake's key pair imports and the hosts accept
        Path keys = Files.createDirectories(ws.resolve('home/keys'))
        Files.copy(hosts.clientKey, keys.resolve('cloud'))
        Files.copy(Path.of(hosts.clientKey.toString() + '.pub'), keys.resolve('cloud.pub'))
        Files.setPosixFilePermissions(keys.resolve('cloud'), PosixFilePermissions.fromString('rw-------'))
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            def host = hosts.start()
            host.stop()
            host.port = port
            machines[i.id] = host
            i.publicIp = host.address
            i.console = "cloud-init\n-----BEGIN SSH HOST KEY FINGERPRINTS-----\n521 ${host.hostKeyFingerprint()} root@host (ECDSA)\n" +
                    '-----END SSH HOST KEY FINGERPRINTS-----\n'
        }
        fake.onState = { String id, String state ->
            def host = machines[id]
            if (state == 'running' && !host.running) {
                host.start()
            } else if (state != 'running') {
                host.stop()
            }
        }
        AwsTestSupport.useFakeAws(ws, ws.resolve('home'))
        def config = Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'cloud'
                provider 'aws'
                autoStop false
                instance {
                    name 'w'; type 't3.micro'
                    region 'us-east-1'; endpoint '${fake.endpoint}'
                    sshPort ${port}; sshCidr '127.0.0.0/8'; imgUsername '${System.getProperty('user.name')}'
                }
                job 'hello', { runCommand 'true' }
            }""")
        def init = katapult('init', config.toString())
        assert init.code == 0: init.out
        def started = katapult('start')
        assert started.code == 0: started.out
    }

    def cleanupSpec() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    record Outcome(int code, String out) { }

    /** Katapult as its own JVM (ssh needs the process's own stdin and stdout), away from the user's ~/.ssh. */
    Outcome katapult(String... args) {
        def process = KatapultJvm.start(ws, args as List, AwsTestSupport.fakeAwsJvmOptions(),
                [KATAPULT_SSH_DIR: ws.resolve('no-user-ssh').toString()])
        assert process.waitFor(120, TimeUnit.SECONDS)
        def log = Files.list(ws).filter { it.fileName.toString().startsWith('katapult-') }
                .max { a, b -> Files.getLastModifiedTime(a) <=> Files.getLastModifiedTime(b) }.get()
        def out = Files.readString(log)
        Files.delete(log)
        new Outcome(process.exitValue(), out)
    }

    /** The one instance: its EC2 id and its test host. */
    Map.Entry<String, SshTestHosts.Host> instance() {
        assert machines.size() == 1
        machines.entrySet().first()
    }

    static String publicKeyLine(SshTestHosts.Host host) {
        def keys = new SimpleGeneratorHostKeyProvider(host.hostKey)
        keys.algorithm = 'EC'
        PublicKeyEntry.toString(keys.loadKeys(null).first().public)
    }

    def "ssh-config prints a block pinning the host key under the instance id, and `ssh cloud-w true` works through it"() {
        given:
        def id = instance().key
        def host = instance().value
        def knownHosts = ws.resolve('.katapult/cloud/known_hosts')

        when:
        def printed = katapult('ssh-config')
        def file = Files.writeString(ws.resolve('katapult-cloud.conf'), printed.out)
        def ssh = new ProcessBuilder('ssh', '-F', file.toString(), '-o', 'BatchMode=yes', 'cloud-w', 'true')
                .redirectErrorStream(true).start()
        def answer = ssh.inputStream.text
        ssh.waitFor(60, TimeUnit.SECONDS)

        then:
        printed.code == 0
        printed.out.contains('Host cloud-w\n')
        printed.out.contains("HostName ${host.address}\n")
        printed.out.contains("Port ${port}\n")
        printed.out.contains("User ${System.getProperty('user.name')}\n")
        printed.out.contains("IdentityFile ${ws.resolve('home/keys/cloud')}\n")
        printed.out.contains("UserKnownHostsFile ${knownHosts}\n")
        printed.out.contains('StrictHostKeyChecking yes\n')
        printed.out.contains("HostKeyAlias ${id}\n")

        and: 'the known hosts file holds the instance key, pinned under the id, not the address'
        def pins = Files.readAllLines(knownHosts).findAll { it.trim() }
        pins.any { it == "${id} ${publicKeyLine(host)}".toString() }
        !pins.any { it.startsWith(host.address) }

        and:
        assert ssh.exitValue() == 0: answer
    }

    def "ssh INSTANCE -- CMD runs the command there through OpenSSH's ssh, with its exit code"() {
        given:
        def host = instance().value

        when:
        def hello = katapult('ssh', 'w', '--', 'echo', 'hello-from', '"$HOME"')
        def failing = katapult('ssh', 'w', '--', 'exit 7')

        then:
        hello.code == 0
        hello.out.contains("hello-from ${host.home}")
        failing.code == 7
    }

    def "a host key other than the pinned one is refused by ssh and by the printed block: the command never runs"() {
        given: 'the pin replaced by another key, under the same id'
        def id = instance().key
        def host = instance().value
        def knownHosts = ws.resolve('.katapult/cloud/known_hosts')
        def saved = Files.readString(knownHosts)
        def other = new SshTestHosts(ws.resolve("other-${System.nanoTime()}"))
        def otherKey = Files.readString(Path.of(other.clientKey.toString() + '.pub')).split(' ')[0..1].join(' ')
        Files.writeString(knownHosts, "${id} ${otherKey}\n")
        def file = Files.writeString(ws.resolve('katapult-cloud-pinned.conf'), katapult('ssh-config').out)

        when:
        def viaKatapult = katapult('ssh', 'w', '--', 'touch', 'reached-1')
        def ssh = new ProcessBuilder('ssh', '-F', file.toString(), '-o', 'BatchMode=yes', 'cloud-w', 'touch', 'reached-2')
                .redirectErrorStream(true).start()
        def answer = ssh.inputStream.text
        ssh.waitFor(60, TimeUnit.SECONDS)

        then:
        viaKatapult.code != 0
        ssh.exitValue() != 0
        answer.contains('CHANGED') || answer.contains('verification failed')
        !Files.exists(host.home.resolve('reached-1'))
        !Files.exists(host.home.resolve('reached-2'))

        cleanup:
        Files.writeString(knownHosts, saved)
    }
}
