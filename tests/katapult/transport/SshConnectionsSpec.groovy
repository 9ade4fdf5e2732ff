package katapult.transport

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** Keys (ed25519, RSA, ~/.ssh defaults, passphrase) and reconnection after a drop. */
@Timeout(90)
@Tag('e2e')
class SshConnectionsSpec extends Specification {

    @TempDir
    Path dir

    SshSettings settings(Path sshDir, String passphrase = null) {
        new SshSettings(sshDir, dir.resolve("kh-${System.nanoTime()}"), passphrase, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(300))
    }

    String echo(SshConnections pool, SshTarget target) {
        try {
            pool.shell(target).exec('echo ok').stdout()
        } finally {
            pool.close()
        }
    }

    def "a #type key file logs in"() {
        given:
        def hosts = new SshTestHosts(dir.resolve(type), type)
        def host = hosts.start()

        expect:
        echo(new SshConnections(settings(dir.resolve('none'))), host.target()) == 'ok\n'

        cleanup:
        hosts?.close()

        where:
        type << ['ed25519', 'rsa']
    }

    def "without a key, the ~/.ssh defaults are used"() {
        given:
        def hosts = new SshTestHosts(dir.resolve('defaults'))
        def host = hosts.start()
        def sshDir = Files.createDirectories(dir.resolve('dot-ssh'))
        Files.copy(hosts.clientKey, sshDir.resolve('id_ed25519'))

        expect:
        echo(new SshConnections(settings(sshDir)), new SshTarget(null, host.address, host.port, null)) == 'ok\n'

        cleanup:
        hosts?.close()
    }

    def "an encrypted key takes its passphrase from the settings (KATAPULT_SSH_PASSPHRASE)"() {
        given:
        def hosts = new SshTestHosts(dir.resolve('enc'))
        def host = hosts.start()
        def encrypted = dir.resolve('enc-key')
        Files.copy(hosts.clientKey, encrypted)
        def p = new ProcessBuilder('ssh-keygen', '-q', '-p', '-P', '', '-N', 's3cret phrase', '-f', encrypted.toString())
                .redirectErrorStream(true).start()
        assert p.waitFor() == 0 : p.inputStream.text
        def target = new SshTarget(null, host.address, host.port, encrypted)

        expect:
        echo(new SshConnections(settings(dir.resolve('none'), 's3cret phrase')), target) == 'ok\n'

        when: 'without the passphrase'
        echo(new SshConnections(settings(dir.resolve('none'))), target)

        then:
        def e = thrown(IOException)
        e.message.contains("cannot reach ${target}")

        cleanup:
        hosts?.close()
    }

    def "after the server drops, the next command reconnects (with backoff), on one new connection"() {
        given:
        def hosts = new SshTestHosts(dir.resolve('drop'))
        def host = hosts.start()
        def pool = new SshConnections(settings(dir.resolve('none')))
        def shell = pool.shell(host.target())
        assert shell.exec('echo one').stdout() == 'one\n'

        when: 'the server goes away'
        host.stop()
        shell.exec('echo two')

        then:
        thrown(SshConnections.UnreachableHostException)

        when: 'it is back'
        host.start()
        String answer = null
        def deadline = System.currentTimeMillis() + 10_000
        while (answer == null && System.currentTimeMillis() < deadline) {
            try {
                answer = shell.exec('echo three').stdout()
            } catch (SshConnections.UnreachableHostException backingOff) {
                sleep 100
            }
        }

        then:
        answer == 'three\n'
        pool.connectionsOpened() == 2

        cleanup:
        pool?.close()
        hosts?.close()
    }
}
