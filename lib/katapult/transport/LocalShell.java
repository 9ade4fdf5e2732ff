package katapult.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link Shell} on this machine whose "home" is a sandbox folder: what the local provider's instances are. */
public final class LocalShell implements Shell {

    private final Path home;
    private final String name;
    private final List<Path> outside;

    public LocalShell(Path home, String name) {
        this(home, name, List.of());
    }

    /** @param outside folders out of the sandbox that put and get may reach too (a project folder the config names) */
    public LocalShell(Path home, String name, List<Path> outside) {
        this.home = home.toAbsolutePath().normalize();
        this.name = name;
        this.outside = outside.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public Path home() {
        return home;
    }

    @Override
    public ExecResult exec(String command, String stdin, Duration timeout) throws IOException {
        Process process = start(command);
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        feed(process, stdin);
        return new ExecResult(awaitExit(process, timeout), out.join(), err.join());
    }

    @Override
    public ExecResult execReading(String command, String stdin, Duration stall, OutputReader reader)
            throws IOException {
        Process process = start(command);
        CompletableFuture<String> err = drain(process.getErrorStream());
        CompletableFuture.runAsync(() -> feed(process, stdin));
        try (StallGuard guard = new StallGuard(stall, process::destroyForcibly);
             InputStream out = guard.watch(process.getInputStream())) {
            try {
                reader.read(out);
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly();
                if (guard.stalled()) {
                    throw guard.stallError(name);
                }
                throw e;
            }
        }
        return new ExecResult(awaitExit(process, stall), "", err.join());
    }

    private Process start(String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        return builder.start();
    }

    private static void feed(Process process, String stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closedEarly) {
            // the command exited without reading all its input: its exit code tells the story
        }
    }

    private int awaitExit(Process process, Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("command on " + name + " timed out after " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a command on " + name, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void put(Path local, String remotePath) throws IOException {
        Path target = resolve(remotePath);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(local, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void get(String remotePath, Path local) throws IOException {
        Files.createDirectories(local.toAbsolutePath().getParent());
        Files.copy(resolve(remotePath), local, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path resolve(String remotePath) throws IOException {
        Path target = home.resolve(remotePath).normalize();
        if (!target.startsWith(home) && outside.stream().noneMatch(target::startsWith)) {
            throw new IOException("path " + remotePath + " leaves the sandbox of " + name);
        }
        return target;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() {
        // nothing held open between commands
    }
}
