package katapult.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link Shell} on a host reached over SSH, through the connection its {@link SshConnections} pool keeps for that
 * host. Commands run as {@code bash -c '<command>'} whatever the login shell; remote paths are relative to the
 * login folder (the home). Cheap to make; {@link #close()} leaves the connection to the pool.
 */
public final class SshShell implements Shell {

    private final SshConnections.Host host;

    SshShell(SshConnections.Host host) {
        this.host = host;
    }

    @Override
    public ExecResult exec(String command, String stdin, Duration timeout) throws IOException {
        return host.exec(command, stdin, timeout);
    }

    @Override
    public ExecResult execReading(String command, String stdin, Duration stall, OutputReader reader)
            throws IOException {
        return host.execReading(command, stdin, stall, reader);
    }

    @Override
    public void put(Path local, String remotePath) throws IOException {
        host.put(local, remotePath);
    }

    /** @throws java.nio.file.NoSuchFileException when the remote file does not exist */
    @Override
    public void get(String remotePath, Path local) throws IOException {
        host.get(remotePath, local);
    }

    @Override
    public String describe() {
        return host.target().handle();
    }

    /** Keeps the pooled connection: the pool closes it. */
    @Override
    public void close() {
    }
}
