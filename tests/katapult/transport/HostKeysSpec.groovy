package katapult.transport

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.cli.Main
import org.apache.sshd.common.config.keys.PublicKeyEntry
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** Host keys are pinned: first contact records, a match connects, a change is refused until forgotten. */
@Timeout(60)
@Tag('e2e')
class HostKeysSpec extends Specification {

    @TempDir
    Path dir

    @AutoCleanup
    SshTestHosts hosts

    SshTestHosts.Host host

    Path projectFile
    Path userDir

    def setup() {
        hosts = new SshTestHosts(dir)
        host = hosts.start()
        projectFile = dir.resolve('ws/.katapult/proj/known_hosts')
        userDir = dir.resolve('user-ssh')
        Files.createDirectories(userDir)
    }

    SshConnections pool() {
        new SshConnections(new SshSettings(userDir, projectFile, null, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(50), Duration.ofMillis(100)))
    }

    String echo(SshConnections pool) {
        try {
            pool.shell(host.target()).exec('echo ok').stdout()
        } finally {
            pool.close()
        }
    }

    String serverFingerprint() {
        HostKeys.fingerprint(host.server.keyPairProvider.loadKeys(null).first().public)
    }

    String serverKeyLine() {
        PublicKeyEntry.toString(host.server.keyPairProvider.loadKeys(null).first().public)
    }

    def "first contact pins the host key in the project's file, and the pinned key is accepted after"() {
        when:
        def first = echo(pool())
        def pinned = Files.readAllLines(projectFile)

        then:
        first == 'ok\n'
        pinned.size() == 1
        pinned[0] == "[${host.address}]:${host.port} ${serverKeyLine()}"

        when: 'a new session connects again'
        def second = echo(pool())

        then:
        second == 'ok\n'
        Files.readAllLines(projectFile) == pinned
    }

    def "a host that announced its fingerprints is pinned only when its key is one of them"() {
        given:
        def first = pool()

        when: 'announced: another key, then this one'
        first.shell(host.target(), ['SHA256:' + 'x' * 43]).exec('echo ok')

        then:
        def refused = thrown(SshConnections.HostKeyException)
        refused.message.contains("is not one the host announced (SHA256:${'x' * 43})")
        refused.message.contains(serverFingerprint())
        !Files.exists(projectFile)

        when: 'a later session, told this key'
        first.close()
        def later = pool()
        def accepted = later.shell(host.target(), ['SHA256:' + 'y' * 43, serverFingerprint()]).exec('echo ok').stdout()

        then:
        accepted == 'ok\n'
        Files.readAllLines(projectFile) == ["[${host.address}]:${host.port} ${serverKeyLine()}".toString()]

        cleanup:
        first?.close()
        later?.close()
    }

    def "a key already in the user's known_hosts is trusted and not copied"() {
        given:
        Files.writeString(userDir.resolve('known_hosts'), "[${host.address}]:${host.port} ${serverKeyLine()}\n")

        expect:
        echo(pool()) == 'ok\n'
        !Files.exists(projectFile)
    }

    def "a changed key is refused with host, both fingerprints and how to forget the old key"() {
        given:
        echo(pool())
        def old = serverFingerprint()

        when: 'the host is reinstalled with a new key'
        host.stop()
        host.newHostKey()
        host.start()
        def offered = serverFingerprint()
        pool().withCloseable { it.shell(host.target()).exec('echo never') }

        then:
        old != offered
        def e = thrown(SshConnections.HostKeyException)
        e.message.contains("host key of [${host.address}]:${host.port} has CHANGED")
        e.message.contains("expected ecdsa-sha2-nistp521 $old")
        e.message.contains("offered ecdsa-sha2-nistp521 $offered")
        e.message.contains(projectFile.toString())
        e.message.contains("katapult forget-host ${host.address}:${host.port}")
        host.commands.get() == 1
    }

    def "a key pinned under a machine's own name: another machine at the same address meets its own pin, not the first's"() {
        given: 'a machine pinned under its id'
        pool().withCloseable { it.shell(host.target(), 'i-first', [serverFingerprint()]).exec('echo ok') }

        when: 'another machine comes up at that address, with another key'
        host.stop()
        host.newHostKey()
        host.start()
        def later = pool()
        def out = later.shell(host.target(), 'i-second', [serverFingerprint()]).exec('echo ok').stdout()

        then:
        out == 'ok\n'
        Files.readAllLines(projectFile)*.split(' ')*.getAt(0) == ['i-first', 'i-second']

        when: 'the first name is offered the new key'
        later.shell(host.target(), 'i-first', []).exec('echo never')

        then:
        def e = thrown(SshConnections.HostKeyException)
        e.message.contains("host key of i-first ([${host.address}]:${host.port}) has CHANGED")
        e.message.contains('katapult forget-host i-first')

        when: 'the first machine is forgotten'
        def removed = new HostKeys(projectFile, null).forget('i-first')

        then:
        removed == 1
        Files.readAllLines(projectFile)*.split(' ')*.getAt(0) == ['i-second']

        cleanup:
        later?.close()
    }

    def "a changed key in the user's known_hosts is refused too, pointing at ssh-keygen -R"() {
        given:
        Files.writeString(userDir.resolve('known_hosts'), "[${host.address}]:${host.port} ${serverKeyLine()}\n")
        host.stop()
        host.newHostKey()
        host.start()

        when:
        pool().withCloseable { it.shell(host.target()).exec('echo never') }

        then:
        def e = thrown(SshConnections.HostKeyException)
        e.message.contains('has CHANGED')
        e.message.contains("ssh-keygen -R '[${host.address}]:${host.port}'")
        !Files.exists(projectFile)
    }

    def "katapult forget-host HOST:PORT forgets the old key, and the next contact pins the new one"() {
        given:
        echo(pool())
        host.stop()
        host.newHostKey()
        host.start()

        when:
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true),
                'forget-host', '-C', dir.resolve('ws').toString(), '-p', 'proj', "${host.address}:${host.port}".toString())

        then:
        code == 0
        out.toString().contains('forgot 1 key(s)')
        Files.readAllLines(projectFile).isEmpty()

        and:
        echo(pool()) == 'ok\n'
        Files.readAllLines(projectFile) == ["[${host.address}]:${host.port} ${serverKeyLine()}".toString()]
    }

    def "forget-host of a host that has no pinned key says so"() {
        when:
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true),
                'forget-host', '-C', dir.resolve('ws').toString(), '-p', 'proj', 'nowhere.example')

        then:
        code == 1
        err.toString().contains('no key of nowhere.example is pinned')
        err.toString().contains('ssh-keygen -R nowhere.example')
    }

    def "forget-host explains itself with --help"() {
        when:
        def out = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true), 'forget-host', '--help')

        then:
        code == 0
        out.toString().contains('Usage: katapult forget-host')
        out.toString().contains('HOST')
    }

    def "forget-host without a port forgets every port of the host, and only that host"(){
        given:
        Files.createDirectories(projectFile.parent)
        Files.writeString(projectFile, "[10.0.0.1]:2222 ssh-ed25519 AAAA\n10.0.0.1 ssh-ed25519 BBBB\n10.0.0.12 ssh-ed25519 CCCC\n")

        expect:
        new HostKeys(projectFile, null).forget('10.0.0.1') == 2
        Files.readAllLines(projectFile) == ['10.0.0.12 ssh-ed25519 CCCC']
    }
}
