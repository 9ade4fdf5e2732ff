package katapult.transport

import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyPairGenerator
import java.security.PublicKey
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

import org.apache.sshd.common.config.keys.KeyUtils
import org.apache.sshd.common.config.keys.PublicKeyEntry
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory
import org.apache.sshd.server.Environment
import org.apache.sshd.server.ExitCallback
import org.apache.sshd.server.SshServer
import org.apache.sshd.server.channel.ChannelSession
import org.apache.sshd.server.command.Command
import org.apache.sshd.server.command.CommandFactory
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider
import org.apache.sshd.sftp.server.SftpSubsystemFactory

/**
 * Test SSH hosts: real SSH servers (Apache MINA SSHD), one per host, each on its own loopback address
 * (127.0.0.2, 127.0.0.3, ...) and ephemeral port, with its own HOME (a folder) where commands run
 * ({@code bash -c}, as a login shell would) and SFTP is rooted. Public-key login with generated keys.
 * A host can be stopped and started again on the same address and port (fault specs), or with a new host key.
 */
class SshTestHosts implements Closeable {

    /** Next loopback address; shared by every spec of this JVM so that hosts never share an address. */
    private static final AtomicInteger NEXT = new AtomicInteger(2)

    final Path root
    final Path clientKey
    final PublicKey clientPublicKey
    final String clientPublicKeyLine
    final List<Host> hosts = new CopyOnWriteArrayList<>()

    SshTestHosts(Path root, String keyType = 'ed25519') {
        this.root = root
        this.clientKey = TestKeys.generate(root.resolve('client-keys'), keyType)
        this.clientPublicKey = PublicKeyEntry.parsePublicKeyEntry(Files.readString(Path.of(clientKey.toString() + '.pub')).strip())
                .resolvePublicKey(null, [:], null)
        this.clientPublicKeyLine = PublicKeyEntry.toString(clientPublicKey)
    }

    /** Starts a new host on the next loopback address. */
    Host start(String name = "host${hosts.size() + 1}") {
        int n = NEXT.getAndIncrement()
        def host = new Host(this, name, "127.0.${(n >> 8) & 255}.${n & 255}", root.resolve(name))
        host.start()
        hosts << host
        host
    }

    List<Host> start(int count) {
        (1..count).collect { start() }
    }

    /** Starts {@code count} hosts whose login user has one HOME, as cluster nodes that mount one NFS home. */
    List<Host> startSharingHome(int count) {
        def home = root.resolve('shared-home')
        (1..count).collect {
            int n = NEXT.getAndIncrement()
            def name = "host${hosts.size() + 1}"
            def host = new Host(this, name, "127.0.${(n >> 8) & 255}.${n & 255}", root.resolve(name), home)
            host.start()
            hosts << host
            host
        }
    }

    @Override
    void close() {
        hosts.each { it.stop() }
    }

    /** A config line for a host: what an {@code instance { }} block needs. */
    String instanceBlock(Host host, String name, Integer cpus = null) {
        "instance { name '$name'; host '${host.address}'; port ${host.port}; user '${System.getProperty('user.name')}'; key '${clientKey}'" +
                (cpus == null ? '' : "; cpus $cpus") + " }"
    }

    static class Host {
        final SshTestHosts fixture
        final String name
        final String address
        final Path home
        final Path dir
        int port = 0
        Path hostKey
        SshServer server
        final AtomicInteger sessions = new AtomicInteger()
        /** A folder put first on the PATH of commands (stand-ins for programs of the host). */
        Path pathPrefix
        final AtomicInteger commands = new AtomicInteger()
        final List<String> received = new CopyOnWriteArrayList<>()
        final Set<Process> processes = ConcurrentHashMap.newKeySet()

        Host(SshTestHosts fixture, String name, String address, Path dir, Path home = dir.resolve('home')) {
            this.fixture = fixture
            this.name = name
            this.address = address
            this.dir = dir
            this.home = home
            this.hostKey = dir.resolve('hostkey-1.ser')
            Files.createDirectories(home)
        }

        String getHandle() {
            "${System.getProperty('user.name')}@${address}:${port}"
        }

        SshTarget target() {
            new SshTarget(System.getProperty('user.name'), address, port, fixture.clientKey)
        }

        synchronized void start() {
            def s = SshServer.setUpDefaultServer()
            s.host = address
            s.port = port
            def keys = new SimpleGeneratorHostKeyProvider(hostKey)
            keys.algorithm = 'EC'
            s.keyPairProvider = keys
            s.publickeyAuthenticator = { String user, PublicKey key, session -> PublicKeyEntry.toString(key) == fixture.clientPublicKeyLine }
            s.commandFactory = { ChannelSession channel, String command -> new BashCommand(this, command) } as CommandFactory
            s.subsystemFactories = [new SftpSubsystemFactory()]
            s.fileSystemFactory = new VirtualFileSystemFactory(home)
            s.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
                @Override
                void sessionCreated(org.apache.sshd.common.session.Session session) {
                    sessions.incrementAndGet()
                }
            })
            s.start()
            port = s.port
            server = s
        }

        /** Stops the server (open connections drop); processes started through it keep running, as on a real host. */
        synchronized void stop() {
            server?.stop(true)
            server = null
            processes.each { it.destroyForcibly() }
            processes.clear()
        }

        /** The SHA256 fingerprint of its host key (created at its first start), as a cloud console shows it. */
        String hostKeyFingerprint() {
            def keys = new SimpleGeneratorHostKeyProvider(hostKey)
            keys.algorithm = 'EC'
            HostKeys.fingerprint(keys.loadKeys(null).first().public)
        }

        /** The same host after a reinstall: a new host key. */
        synchronized void newHostKey() {
            hostKey = dir.resolve("hostkey-${System.nanoTime()}.ser")
        }

        boolean isRunning() {
            server != null && server.started
        }
    }

    /** What the login shell does with an exec request: {@code bash -c '<the request>'} in HOME. */
    static class BashCommand implements Command {
        final Host host
        final String command
        InputStream input
        OutputStream output
        OutputStream error
        ExitCallback exit
        Process process

        BashCommand(Host host, String command) {
            this.host = host
            this.command = command
        }

        void setInputStream(InputStream in) { input = in }

        void setOutputStream(OutputStream out) { output = out }

        void setErrorStream(OutputStream err) { error = err }

        void setExitCallback(ExitCallback callback) { exit = callback }

        void start(ChannelSession channel, Environment env) {
            try {
                launch()
            } catch (Throwable t) {
                t.printStackTrace()
                throw t
            }
        }

        private void launch() {
            host.commands.incrementAndGet()
            host.received << command
            def builder = new ProcessBuilder('bash', '-c', command).directory(host.home.toFile())
            builder.environment().put('HOME', host.home.toString())
            if (host.pathPrefix != null) {
                builder.environment().put('PATH', host.pathPrefix.toString() + ':' + System.getenv('PATH'))
            }
            process = builder.start()
            host.processes << process
            def pumps = [pump(process.inputStream, output, false), pump(process.errorStream, error, false)]
            def feeder = pump(input, process.outputStream, true)
            Thread.start("ssh-test-wait-${host.name}") {
                int code = process.waitFor()
                pumps*.join()
                host.processes.remove(process)
                feeder.interrupt()
                try {
                    exit.onExit(code)
                } catch (ignored) {
                }
            }
        }

        private static Thread pump(InputStream from, OutputStream to, boolean closeTarget) {
            Thread.start {
                byte[] buffer = new byte[16384]
                try {
                    int n
                    while ((n = from.read(buffer)) >= 0) {
                        to.write(buffer, 0, n)
                        to.flush()
                    }
                } catch (IOException ignored) {
                } finally {
                    if (closeTarget) {
                        try { to.close() } catch (IOException ignored) { }
                    }
                }
            }
        }

        void destroy(ChannelSession channel) {
            process?.destroy()
        }
    }

    /** Client key files in OpenSSH format: ssh-keygen when present, else an RSA key in PKCS#8 PEM. */
    static class TestKeys {
        static Path generate(Path dir, String type) {
            Files.createDirectories(dir)
            Path key = dir.resolve("id_$type")
            if (Files.exists(key)) {
                return key
            }
            def keygen = ['/usr/bin/ssh-keygen', '/bin/ssh-keygen'].find { Files.isExecutable(Path.of(it)) }
            if (keygen != null) {
                def args = [keygen, '-q', '-t', type, '-N', '', '-C', 'katapult-test', '-f', key.toString()]
                if (type == 'rsa') {
                    args += ['-b', '2048']
                }
                def p = new ProcessBuilder(args).redirectErrorStream(true).start()
                def out = p.inputStream.text
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("ssh-keygen failed: $out")
                }
                return key
            }
            def pair = KeyPairGenerator.getInstance('RSA').with { initialize(2048); generateKeyPair() }
            key = dir.resolve('id_rsa')
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" +
                    Base64.mimeEncoder.encodeToString(pair.private.encoded) + "\n-----END PRIVATE KEY-----\n")
            Files.writeString(Path.of(key.toString() + '.pub'), PublicKeyEntry.toString(pair.public) + ' katapult-test\n')
            key
        }
    }
}
