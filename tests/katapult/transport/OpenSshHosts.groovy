package katapult.transport

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Test hosts that are Debian's OpenSSH {@code sshd}, one process per host, each on its own loopback address and high
 * port with its own host key, authorized_keys, HOME (SetEnv) and SFTP start folder, started as the current user with
 * {@code -D -e -f <own sshd_config>}. {@link #unavailable()} says why they cannot run here, or null.
 */
class OpenSshHosts implements Closeable {

    static final String SSHD = '/usr/sbin/sshd'
    static final String KEYGEN = '/usr/bin/ssh-keygen'

    /** Why OpenSSH hosts cannot run here, or null when they can. */
    static String unavailable() {
        if (!Files.isExecutable(Path.of(SSHD))) {
            return "$SSHD is not installed (Debian package openssh-server; .ci/run installs it when root)"
        }
        if (!Files.isExecutable(Path.of(KEYGEN))) {
            return "$KEYGEN is not installed"
        }
        if (System.getProperty('user.name') != 'root') {
            return 'not root: sshd needs root for its privilege separation (run .ci/run as root)'
        }
        try {
            Files.createDirectories(Path.of('/run/sshd'))
        } catch (IOException e) {
            return "cannot create /run/sshd: $e.message"
        }
        null
    }

    final Path root
    final Path clientKey
    final List<Host> hosts = []
    private static int next = 10

    OpenSshHosts(Path root) {
        this.root = root
        this.clientKey = root.resolve('client/id_ed25519')
        Files.createDirectories(clientKey.parent)
        run(KEYGEN, '-q', '-t', 'ed25519', '-N', '', '-C', 'katapult-test', '-f', clientKey.toString())
    }

    synchronized Host start() {
        int n = next++
        def host = new Host(this, "ossh${hosts.size() + 1}", "127.0.2.$n", root.resolve("ossh${hosts.size() + 1}"))
        host.start()
        hosts << host
        host
    }

    @Override
    void close() {
        hosts.each { it.stop() }
    }

    String instanceBlock(Host host, String name, Integer cpus = null) {
        "instance { name '$name'; host '${host.address}'; port ${host.port}; user '${System.getProperty('user.name')}'; key '${clientKey}'" +
                (cpus == null ? '' : "; cpus $cpus") + " }"
    }

    static void run(String... args) {
        def p = new ProcessBuilder(args).redirectErrorStream(true).start()
        def out = p.inputStream.text
        if (p.waitFor() != 0) {
            throw new IllegalStateException("${args.join(' ')} failed: $out")
        }
    }

    static class Host {
        final OpenSshHosts fixture
        final String name
        final String address
        final Path dir
        final Path home
        int port
        Process process

        Host(OpenSshHosts fixture, String name, String address, Path dir) {
            this.fixture = fixture
            this.name = name
            this.address = address
            this.dir = dir
            this.home = dir.resolve('home')
            Files.createDirectories(home)
            run(KEYGEN, '-q', '-t', 'ed25519', '-N', '', '-f', dir.resolve('hostkey').toString())
            Files.copy(Path.of(fixture.clientKey.toString() + '.pub'), dir.resolve('authorized_keys'))
            port = new ServerSocket(0, 1, InetAddress.getByName(address)).withCloseable { it.localPort }
            Files.writeString(dir.resolve('sshd_config'), """\
                ListenAddress ${address}:${port}
                HostKey ${dir.resolve('hostkey')}
                PidFile ${dir.resolve('sshd.pid')}
                AuthorizedKeysFile ${dir.resolve('authorized_keys')}
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                PermitRootLogin prohibit-password
                SetEnv HOME=${home}
                Subsystem sftp internal-sftp -d ${home}
                MaxSessions 64
                MaxStartups 64
                LogLevel ERROR
                """.stripIndent())
        }

        SshTarget target() {
            new SshTarget(System.getProperty('user.name'), address, port, fixture.clientKey)
        }

        void start() {
            process = new ProcessBuilder(SSHD, '-D', '-e', '-f', dir.resolve('sshd_config').toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve('sshd.log').toFile()).start()
            def deadline = System.currentTimeMillis() + 10_000
            while (System.currentTimeMillis() < deadline) {
                if (!process.alive) {
                    throw new IllegalStateException("sshd on $address:$port exited: ${Files.readString(dir.resolve('sshd.log'))}")
                }
                try {
                    new Socket(address, port).close()
                    return
                } catch (IOException notYet) {
                    sleep 50
                }
            }
            throw new IllegalStateException("sshd on $address:$port did not listen within 10 s")
        }

        void stop() {
            process?.destroy()
            process?.waitFor(5, TimeUnit.SECONDS)
            process?.destroyForcibly()
        }
    }
}
