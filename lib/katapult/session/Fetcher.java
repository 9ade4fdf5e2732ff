package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import katapult.remote.RemoteLayout;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.transport.SafePaths;
import katapult.transport.Shell;

/** Brings a finished run's outputs and logs into {@code results/<project>/<job>/<repeat>/}. */
final class Fetcher {

    static final String STDOUT = "stdout.log";
    static final String STDERR = "stderr.log";

    private final Path root;

    Fetcher(Path resultsRoot) {
        this.root = resultsRoot.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path folder(RunRecord run) {
        return SafePaths.inside(root, run.job() + "/" + run.repeat());
    }

    /** Fetches logs (when present) and, for a DONE run, every declared output; each file lands whole or not at all. */
    void fetch(Shell shell, RemoteLayout layout, RunRecord run, List<String> outputs) throws IOException {
        Path folder = folder(run);
        Files.createDirectories(folder);
        fetchOptional(shell, layout.runFile(run.rid(), "out.log"), folder.resolve(STDOUT));
        fetchOptional(shell, layout.runFile(run.rid(), "err.log"), folder.resolve(STDERR));
        if (run.state() == RunState.DONE) {
            for (String output : outputs) {
                fetchOne(shell, layout.runOutput(run.rid(), output), SafePaths.inside(folder, output));
            }
        }
    }

    private static void fetchOptional(Shell shell, String remote, Path local) throws IOException {
        try {
            fetchOne(shell, remote, local);
        } catch (NoSuchFileException missing) {
            // a run aborted before it started has no logs
        }
    }

    private static void fetchOne(Shell shell, String remote, Path local) throws IOException {
        Files.createDirectories(local.getParent());
        Path partial = local.resolveSibling(local.getFileName() + ".part");
        shell.get(remote, partial);
        Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether a fetched run's files are all still on the local disk. */
    boolean present(RunRecord run, List<String> outputs) {
        Path folder = folder(run);
        if (run.state() != RunState.DONE) {
            return Files.isDirectory(folder);
        }
        return outputs.stream().allMatch(out -> Files.exists(SafePaths.inside(folder, out)));
    }

    /** The last {@code count} lines of a fetched run's stderr, or "" when there is none. */
    String stderrTail(RunRecord run, int count) {
        Path file = folder(run).resolve(STDERR);
        if (!Files.exists(file)) {
            return "";
        }
        try (Stream<String> lines = Files.lines(file)) {
            Deque<String> tail = new ArrayDeque<>();
            lines.forEach(line -> {
                tail.addLast(line);
                if (tail.size() > count) {
                    tail.removeFirst();
                }
            });
            return String.join("\n", tail);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** Copies the fetched results of a run into another folder (for {@code fetch DIR}). */
    void copyTo(RunRecord run, Path otherRoot) throws IOException {
        Path from = folder(run);
        Path to = SafePaths.inside(otherRoot.toAbsolutePath().normalize(), run.job() + "/" + run.repeat());
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : tree.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
