package katapult.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import katapult.util.TransferMeter;

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

    /** How long sending may go without a byte accepted before it is ended. */
    static final Duration SEND_STALL = Duration.ofMinutes(2);

    /** All the files in one tar stream: one round trip, at the channel's speed (see {@link TarUpload}). */
    @Override
    public void putAll(Map<String, Path> files, String remoteFolder, TransferMeter meter) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        TarUpload.checkNames(files);
        ExecResult sent;
        try {
            sent = host.execWriting(TarUpload.command(remoteFolder), SEND_STALL,
                    stdin -> TarUpload.write(files, stdin, meter));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        sent.orThrow("sending " + files.size() + " file(s) to " + remoteFolder + " on " + describe());
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
