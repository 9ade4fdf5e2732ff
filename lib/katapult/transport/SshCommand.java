package katapult.transport;

import static katapult.transport.SshConnections.describe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import katapult.transport.SshConnections.UnreachableHostException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * Runs one command in a session of a host's connection: feeds its stdin, reads stdout and stderr side by side (on
 * {@code streams}, so neither fills up and stalls the other), and tells a dead connection (reported to
 * {@code dropped}, so the next command opens a new one) from a command that failed.
 */
final class SshCommand {

    private final ExecutorService streams;
    private final SshTarget target;
    private final Consumer<SSHClient> dropped;

    SshCommand(ExecutorService streams, SshTarget target, Consumer<SSHClient> dropped) {
        this.streams = streams;
        this.target = target;
        this.dropped = dropped;
    }

    /** Runs {@code line}, handing its stdout to {@code reader} as it comes, stopping it when it stalls. */
    ExecResult runReading(Session session, SSHClient c, String line, String stdin, Duration stall,
                                  Shell.OutputReader reader) throws IOException {
        Session.Command command = session.exec(line);
        Future<byte[]> err = streams.submit(() -> readAll(command.getErrorStream()));
        streams.submit(() -> {
            try (OutputStream in = command.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            return null;
        });
        try (StallGuard guard = new StallGuard(stall, () -> closeQuietly(command));
             InputStream out = guard.watch(command.getInputStream())) {
            try {
                reader.read(out);
            } catch (IOException | RuntimeException e) {
                closeQuietly(command);
                if (guard.stalled()) {
                    throw guard.stallError(target.toString());
                }
                if (!c.isConnected()) {
                    dropped.accept(c);
                    throw new UnreachableHostException("lost the connection to " + target
                            + " while reading from it: " + describe(e), e);
                }
                throw e;
            }
        }
        try {
            byte[] stderr = err.get(stall.toNanos(), TimeUnit.NANOSECONDS);
            command.join(stall.toMillis(), TimeUnit.MILLISECONDS);
            Integer status = command.getExitStatus();
            if (status == null && !c.isConnected()) {
                dropped.accept(c);
                throw new UnreachableHostException("lost the connection to " + target + " while a command ran");
            }
            return new ExecResult(status != null ? status : -1, "", new String(stderr, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new IOException("command on " + target + " did not end " + stall.toSeconds()
                    + " s after its output");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a command on " + target, e);
        } catch (ExecutionException e) {
            throw new UnreachableHostException("lost the connection to " + target + " while a command ran: "
                    + describe(e.getCause()), e.getCause());
        }
    }

    /** Runs {@code line}, its stdin written by {@code writer} as it goes, stopping it when writing stalls. */
    ExecResult runWriting(Session session, SSHClient c, String line, Duration stall, Shell.InputWriter writer)
            throws IOException {
        Session.Command command = session.exec(line);
        Future<byte[]> out = streams.submit(() -> readAll(command.getInputStream()));
        Future<byte[]> err = streams.submit(() -> readAll(command.getErrorStream()));
        try (StallGuard guard = new StallGuard(stall, () -> closeQuietly(command))) {
            try (OutputStream in = guard.watch(command.getOutputStream())) {
                writer.write(in);
            } catch (RuntimeException e) {
                closeQuietly(command);
                throw e;
            } catch (IOException e) {
                if (guard.stalled()) {
                    closeQuietly(command);
                    throw guard.stallError(target.toString());
                }
                if (!c.isConnected()) {
                    dropped.accept(c);
                    throw new UnreachableHostException("lost the connection to " + target
                            + " while writing to it: " + describe(e), e);
                }
                // the command stopped reading its input (it failed, or exited early): its exit code and stderr tell
            }
        }
        try {
            byte[] stdout = out.get(stall.toNanos(), TimeUnit.NANOSECONDS);
            byte[] stderr = err.get(stall.toNanos(), TimeUnit.NANOSECONDS);
            command.join(stall.toMillis(), TimeUnit.MILLISECONDS);
            Integer status = command.getExitStatus();
            if (status == null && !c.isConnected()) {
                dropped.accept(c);
                throw new UnreachableHostException("lost the connection to " + target + " while a command ran");
            }
            return new ExecResult(status != null ? status : -1, new String(stdout, StandardCharsets.UTF_8),
                    new String(stderr, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            closeQuietly(command);
            throw new IOException("command on " + target + " did not end " + stall.toSeconds()
                    + " s after its input");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a command on " + target, e);
        } catch (ExecutionException e) {
            throw new UnreachableHostException("lost the connection to " + target + " while a command ran: "
                    + describe(e.getCause()), e.getCause());
        }
    }

    /** Runs {@code line} to its end, or at most {@code timeout}, keeping its whole output. */
    ExecResult run(Session session, SSHClient c, String line, String stdin, Duration timeout)
            throws IOException {
        Session.Command command = session.exec(line);
        Future<byte[]> out = streams.submit(() -> readAll(command.getInputStream()));
        Future<byte[]> err = streams.submit(() -> readAll(command.getErrorStream()));
        try (OutputStream in = command.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closedEarly) {
            // the command exited without reading all its input: its exit code tells the story
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            byte[] stdout = out.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            byte[] stderr = err.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            command.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    TimeUnit.MILLISECONDS);
            Integer status = command.getExitStatus();
            int exit = status != null ? status : command.getExitSignal() != null ? 128 + 15 : -1;
            if (status == null && !c.isConnected()) {
                dropped.accept(c);
                throw new UnreachableHostException("lost the connection to " + target + " while a command ran");
            }
            return new ExecResult(exit, new String(stdout, StandardCharsets.UTF_8),
                    new String(stderr, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new IOException("command on " + target + " timed out after " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a command on " + target, e);
        } catch (ExecutionException e) {
            if (!c.isConnected()) {
                dropped.accept(c);
            }
            throw new UnreachableHostException("lost the connection to " + target + " while a command ran: "
                    + describe(e.getCause()), e.getCause());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void closeQuietly(Session.Command command) {
        try {
            command.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone already
        }
    }
}
