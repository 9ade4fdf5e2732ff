package katapult.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import katapult.remote.RemoteLayout;
import katapult.remote.TarReader;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.transport.SafePaths;
import katapult.transport.Shell;
import katapult.transport.ShellQuote;

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

    /** The instance could not pack the files (no tar there, say): they can still come one by one. */
    static final class PackFailed extends IOException {
        PackFailed(String message) {
            super(message);
        }
    }

    /** A finished run to fetch and its declared outputs. */
    record Item(RunRecord run, List<String> outputs) { }

    /**
     * Fetches many finished runs of one instance in three round trips whatever their number: the instance packs their
     * logs and outputs into one tar file, which comes back over one transfer and is unpacked here. Every name in it is
     * checked before anything is written: a name outside the runs asked for, absolute, or climbing out with
     * {@code ..} is refused (naming it). Returns the runs whose files all came; a DONE run that lacks an output is
     * left to {@link #fetch}, which reports what is missing.
     */
    List<RunRecord> fetchBatch(Shell shell, RemoteLayout layout, List<Item> items) throws IOException {
        String tar = layout.root() + "/fetch.tar";
        StringBuilder script = new StringBuilder("set -e\ncd ").append(ShellQuote.homePath(layout.root() + "/runs"))
                .append("\nT=").append(ShellQuote.homePath(tar)).append("\nrm -f \"$T\" \"$T.list\"\n: > \"$T.list\"\n")
                .append("for f in");
        Map<String, Item> byRid = new LinkedHashMap<>();
        for (Item item : items) {
            byRid.put(item.run().rid(), item);
            List<String> names = new ArrayList<>(List.of("out.log", "err.log"));
            if (item.run().state() == RunState.DONE) {
                item.outputs().forEach(o -> names.add("work/" + o));
            }
            for (String name : names) {
                script.append(" \\\n  ").append(ShellQuote.quote(item.run().rid() + "/" + name));
            }
        }
        script.append("; do\n  if [ -f \"$f\" ]; then printf '%s\\n' \"$f\" >> \"$T.list\"; fi\ndone\n")
                .append("tar -chf \"$T\" -T \"$T.list\"\nrm -f \"$T.list\"\n");
        var packed = shell.exec("bash -s", script.toString(), Duration.ofMinutes(10));
        if (!packed.ok()) {
            throw new PackFailed("packing results on " + shell.describe() + " failed (exit " + packed.exitCode() + "): "
                    + packed.stderr().strip());
        }
        Files.createDirectories(root);
        Path local = Files.createTempFile(root, ".fetch-", ".tar");
        Set<String> got = new HashSet<>();
        try {
            shell.get(tar, local);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(local))) {
                TarReader.read(in, (name, size) -> {
                    Path target = batchTarget(name, byRid, shell.describe());
                    got.add(name);
                    Files.createDirectories(target.getParent());
                    Path partial = target.resolveSibling(target.getFileName() + ".part");
                    return new FilterOutputStream(new BufferedOutputStream(Files.newOutputStream(partial))) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.ATOMIC_MOVE);
                        }
                    };
                });
            }
        } finally {
            Files.deleteIfExists(local);
            shell.exec("rm -f " + ShellQuote.homePath(tar), null, Duration.ofMinutes(1));
        }
        List<RunRecord> complete = new ArrayList<>();
        for (Item item : items) {
            Files.createDirectories(folder(item.run()));
            boolean all = item.run().state() != RunState.DONE
                    || item.outputs().stream().allMatch(o -> got.contains(item.run().rid() + "/work/" + o));
            if (all) {
                complete.add(item.run());
            }
        }
        return complete;
    }

    /** Where a name from an instance's tar lands, or an exception naming it when it is not one of the files asked for. */
    private Path batchTarget(String name, Map<String, Item> byRid, String from) {
        int slash = name.indexOf('/');
        Item item = slash > 0 ? byRid.get(name.substring(0, slash)) : null;
        if (item == null || name.startsWith("/")) {
            throw new SafePaths.UnsafePathException("refusing remote path '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' from " + from + ": not a file of the runs asked for");
        }
        Path folder = folder(item.run());
        String rest = name.substring(slash + 1);
        if (rest.equals("out.log")) {
            return folder.resolve(STDOUT);
        }
        if (rest.equals("err.log")) {
            return folder.resolve(STDERR);
        }
        String output = rest.startsWith("work/") ? rest.substring(5) : rest;
        Path target = SafePaths.inside(folder, output);
        if (!rest.startsWith("work/") || !item.outputs().contains(output)) {
            throw new SafePaths.UnsafePathException("refusing remote path '" + name + "' from " + from
                    + ": not a declared output of the run");
        }
        return target;
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
