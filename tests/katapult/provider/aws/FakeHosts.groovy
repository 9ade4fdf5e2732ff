package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

import katapult.transport.LocalShell
import katapult.transport.Shell

/**
 * Stand-in machines for the fake EC2's instances until the SSH test hosts are on main: each instance's disk is a
 * folder (its $HOME), reached with a LocalShell while the instance runs. Stopping kills its processes and keeps the
 * folder; terminating kills them and deletes it.
 */
class FakeHosts implements SshConnector, AutoCloseable {

    final Path root
    final FakeEc2 fake
    final List<String> contacts = new CopyOnWriteArrayList<>()
    /** Every connection refused, as when sshd is broken or a firewall is in the way. */
    volatile boolean refuse = false

    /** Watches the hosts' homes for a shutdown their agent asked for (the test suite's KATAPULT_SHUTDOWN_COMMAND). */
    private final Thread shutdownWatch

    FakeHosts(Path root, FakeEc2 fake) {
        this.root = root
        this.fake = fake
        fake.onState = { String id, String state -> if (state != 'running') { down(id, state == 'terminated') } }
        shutdownWatch = Thread.startDaemon('fake-hosts-shutdown') { watchShutdowns() }
    }

    /** Every shutdown the agents asked for, by instance id, in order. */
    final List<String> shutdowns = new CopyOnWriteArrayList<>()

    /**
     * An agent's shutdown request (the file its shutdown command appends to) makes the fake instance shut itself
     * down: stopped or terminated as it was launched to be.
     */
    private void watchShutdowns() {
        while (!Thread.currentThread().interrupted) {
            fake.instances.values().findAll { it.state == 'running' }.each { i ->
                Path requested = root.resolve(i.id).resolve('shutdown.requested')
                if (Files.exists(requested)) {
                    Files.deleteIfExists(requested)
                    shutdowns << i.id
                    fake.shutdownFromInstance(i.id)
                }
            }
            try {
                Thread.sleep(100)
            } catch (InterruptedException ignored) {
                return
            }
        }
    }

    @Override
    Shell connect(String instanceId, String host, int port, String user, Path privateKey, List<String> fingerprints,
                  Path knownHosts) {
        def instance = fake.instances.values().find { it.publicIp == host && it.state == 'running' }
        if (instance == null || refuse) {
            throw new IOException("connect to ${host}:${port}: connection refused")
        }
        contacts << instance.id
        Path home = Files.createDirectories(root.resolve(instance.id))
        new LocalShell(home, "${user}@${host}")
    }

    Path home(String id) {
        root.resolve(id)
    }

    /** Kills the process groups the agent recorded (agent, runs, set-ups), by their ids. */
    void kill(String id) {
        killProcesses(root.resolve(id))
    }

    /** Kills the process groups whose ids the agent wrote under {@code home} (agent, runs, set-ups). */
    static void killProcesses(Path home) {
        if (!Files.isDirectory(home)) {
            return
        }
        List<Path> pidFiles = []
        Files.walk(home).withCloseable { s -> s.filter { it.fileName.toString() in ['agent.pid', 'pid'] }.forEach { pidFiles << it } }
        pidFiles.each { f ->
            String pid = Files.readString(f).trim().split(' ')[0]
            if (pid ==~ /\d+/) {
                new ProcessBuilder('kill', '-KILL', '--', "-${pid}").redirectErrorStream(true).start().waitFor()
            }
        }
    }

    void down(String id, boolean diskLost) {
        kill(id)
        if (diskLost && Files.isDirectory(root.resolve(id))) {
            root.resolve(id).toFile().deleteDir()
        }
    }

    @Override
    void close() {
        shutdownWatch.interrupt()
        fake.instances.keySet().each { kill(it) }
    }
}
