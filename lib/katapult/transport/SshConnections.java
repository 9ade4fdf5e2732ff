package katapult.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import katapult.util.Backoff;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * One SSH connection per host, shared by every exec and transfer to it, kept alive, re-opened with backoff after it
 * drops. A provider owns one pool; {@link #shell} hands out cheap {@link Shell}s over the pooled connections, whose
 * {@code close()} keeps the connection.
 */
public final class SshConnections implements AutoCloseable {

    /** Reads commands' stdout and stderr side by side, so neither can fill up and stall the other. */
    private final ExecutorService streams = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "katapult-ssh-stream");
        thread.setDaemon(true);
        return thread;
    });

    private final SshSettings settings;
    private final HostKeys hostKeys;
    private final SshLogin login;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final AtomicLong execs = new AtomicLong();
    private volatile boolean closed;

    public SshConnections(SshSettings settings) {
        this.settings = settings;
        this.hostKeys = new HostKeys(settings.knownHosts(), settings.userKnownHosts());
        this.login = new SshLogin(settings, hostKeys);
    }

    public HostKeys hostKeys() {
        return hostKeys;
    }

    /** A shell on {@code target} over its pooled connection (opened at the first command). */
    public Shell shell(SshTarget target) {
        return shell(target, List.of());
    }

    /**
     * As {@link #shell(SshTarget)}, for a host that announced its host key fingerprints out of band: a first contact
     * pins its key only when it is one of them (see {@link HostKeys#check(String, int, List)}).
     */
    public Shell shell(SshTarget target, List<String> announced) {
        return shell(target, null, announced);
    }

    /**
     * As {@link #shell(SshTarget, List)}, for a machine whose host key is pinned under its own name ({@code pinName},
     * a cloud instance's id; null: the address): another machine at the same address gets its own connection and
     * its own pin.
     */
    public Shell shell(SshTarget target, String pinName, List<String> announced) {
        if (closed) {
            throw new IllegalStateException("the SSH connections are closed");
        }
        String key = pinName == null ? target.handle() : target.handle() + " " + pinName;
        Host host = hosts.computeIfAbsent(key, k -> new Host(target, pinName));
        host.announced = List.copyOf(announced);
        return new SshShell(host);
    }

    /** Connections opened so far (every host, every reconnection): one per host when nothing dropped. */
    public int connectionsOpened() {
        return hosts.values().stream().mapToInt(h -> h.opened.get()).sum();
    }

    /** Commands run so far over every connection. */
    public long commandsRun() {
        return execs.get();
    }

    @Override
    public void close() {
        closed = true;
        hosts.values().forEach(Host::disconnect);
        hosts.clear();
        streams.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ one host

    /** The connection to one host and its reconnection schedule. */
    final class Host {

        private final SshTarget target;
        private final String pinName;
        private final SshCommand commands;
        private volatile List<String> announced = List.of();
        private final AtomicInteger opened = new AtomicInteger();
        private final Object sftpLock = new Object();
        private SSHClient client;
        private SFTPClient sftp;
        private int failures;
        private long retryAt;
        private String lastError;
        private boolean lastRefused;

        Host(SshTarget target, String pinName) {
            this.target = target;
            this.pinName = pinName;
            this.commands = new SshCommand(streams, target, this::dropped);
        }

        SshTarget target() {
            return target;
        }

        /** The live connection, opened when there is none; refuses at once while a failed host is backing off. */
        synchronized SSHClient client() throws IOException {
            if (client != null && client.isConnected() && client.isAuthenticated()) {
                return client;
            }
            disconnectQuietly();
            long now = System.nanoTime();
            if (failures > 0 && now < retryAt) {
                // a refused key stays a refusal while backing off: the caller reports it as such, not as a new fault
                if (lastRefused) {
                    throw new HostKeyException(lastError);
                }
                throw new UnreachableHostException("cannot reach " + target + ": " + lastError + " (next attempt in "
                        + Math.max(1, TimeUnit.NANOSECONDS.toMillis(retryAt - now)) + " ms)");
            }
            try {
                client = login.connect(target, pinName, announced);
                failures = 0;
                opened.incrementAndGet();
                return client;
            } catch (HostKeyException e) {
                failures++;
                retryAt = now + backoff().toNanos();
                lastError = e.getMessage();
                lastRefused = true;
                throw e;
            } catch (IOException e) {
                failures++;
                retryAt = now + backoff().toNanos();
                lastError = describe(e);
                lastRefused = false;
                throw new UnreachableHostException("cannot reach " + target + ": " + lastError, e);
            }
        }

        private Duration backoff() {
            return Backoff.exponential(settings.backoffMin(), settings.backoffMax()).delay(failures);
        }

        /** Forgets a connection found dead, so that the next use opens a new one. */
        synchronized void dropped(SSHClient dead) {
            if (client == dead) {
                disconnectQuietly();
            }
        }

        synchronized void disconnect() {
            disconnectQuietly();
        }

        private void disconnectQuietly() {
            SSHClient c = client;
            client = null;
            sftp = null;
            if (c != null) {
                try {
                    c.disconnect();
                } catch (IOException | RuntimeException ignored) {
                    // already gone
                }
            }
        }

        // ---------------------------------------------------------------------------------- exec

        ExecResult exec(String command, String stdin, Duration timeout) throws IOException {
            return inSession((session, c) -> commands.run(session, c, bashLine(command), stdin, timeout));
        }

        ExecResult execReading(String command, String stdin, Duration stall, Shell.OutputReader reader)
                throws IOException {
            return inSession((session, c) -> commands.runReading(session, c, bashLine(command), stdin, stall, reader));
        }

        ExecResult execWriting(String command, Duration stall, Shell.InputWriter writer) throws IOException {
            return inSession((session, c) -> commands.runWriting(session, c, bashLine(command), stall, writer));
        }

        private static String bashLine(String command) {
            return "bash -c " + ShellQuote.quote(command);
        }

        /** A command run in a session of the host's connection. */
        private interface SessionWork {
            ExecResult run(Session session, SSHClient c) throws IOException;
        }

        private ExecResult inSession(SessionWork work) throws IOException {
            for (int attempt = 0; ; attempt++) {
                SSHClient c = client();
                Session session;
                try {
                    session = c.startSession();
                } catch (ConnectionException | TransportException | IllegalStateException e) {
                    // the connection died before the command started (sshj says "Not connected" when it has not
                    // noticed yet): nothing ran, so open a new one and go again
                    dropped(c);
                    if (attempt == 0) {
                        continue;
                    }
                    throw new UnreachableHostException("lost the connection to " + target + ": " + describe(e), e);
                }
                execs.incrementAndGet();
                try (session) {
                    return work.run(session, c);
                }
            }
        }

        // ---------------------------------------------------------------------------------- sftp

        private interface Transfer {
            void run(SFTPClient sftp) throws IOException;
        }

        void transfer(String what, Transfer transfer) throws IOException {
            synchronized (sftpLock) {
                for (int attempt = 0; ; attempt++) {
                    SSHClient c = client();
                    SFTPClient f;
                    try {
                        f = sftp(c);
                        transfer.run(f);
                        return;
                    } catch (SFTPException e) {
                        if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                            NoSuchFileException missing = new NoSuchFileException(what + " on " + target);
                            missing.initCause(e);
                            throw missing;
                        }
                        throw new IOException(what + " on " + target + " failed: " + describe(e), e);
                    } catch (ConnectionException | TransportException | IllegalStateException e) {
                        dropped(c);
                        if (attempt == 0) {
                            continue;   // transfers are idempotent: go again on a new connection
                        }
                        throw new UnreachableHostException("lost the connection to " + target + " during " + what, e);
                    }
                }
            }
        }

        private synchronized SFTPClient sftp(SSHClient c) throws IOException {
            if (sftp == null || client != c) {
                sftp = c.newSFTPClient();
                sftp.getFileTransfer().setPreserveAttributes(false);
            }
            return sftp;
        }

        void put(Path local, String remote) throws IOException {
            if (!Files.isRegularFile(local)) {
                throw new NoSuchFileException(local.toString());
            }
            transfer("sending " + remote, f -> {
                int slash = remote.lastIndexOf('/');
                if (slash > 0) {
                    f.mkdirs(remote.substring(0, slash));
                }
                String partial = remote + ".part-" + Long.toHexString(System.nanoTime());
                f.put(new FileSystemFile(local.toFile()), partial);
                try {
                    f.rename(partial, remote, EnumSet.of(RenameFlags.OVERWRITE, RenameFlags.ATOMIC));
                } catch (SFTPException noOverwrite) {
                    // a server without posix-rename: replace in two steps (uploads are content-addressed)
                    try {
                        f.rm(remote);
                    } catch (SFTPException absent) {
                        // nothing to replace
                    }
                    f.rename(partial, remote);
                }
            });
        }

        void get(String remote, Path local) throws IOException {
            Path parent = local.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            transfer("fetching " + remote, f -> f.get(remote, new FileSystemFile(local.toFile())));
        }
    }

    /** A cause in words a user can act on. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The host cannot be reached now (refused, timed out, dropped): try again later. */
    public static class UnreachableHostException extends IOException {
        public UnreachableHostException(String message) {
            super(message);
        }

        public UnreachableHostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The host offered a key other than the pinned one. */
    public static final class HostKeyException extends IOException {
        public HostKeyException(String message) {
            super(message);
        }
    }
}
