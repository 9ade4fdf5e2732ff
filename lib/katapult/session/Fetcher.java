package katapult.session;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import katapult.config.OutputEntry;
import katapult.remote.FetchManifest;
import katapult.util.MeteredInputStream;
import katapult.util.TransferMeter;
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

    /** A finished run to fetch and its declared outputs. */
    record Item(RunRecord run, List<String> outputs) { }

    /**
     * What one batch brought.
     *
     * @param complete  runs whose files all came (a log the run never wrote is not missed); runs the instance left
     *                  to a later batch (the batch was full) are in neither list
     * @param problems  run uid → why some of its outputs could not come
     * @param warnings  what else is worth telling (a log refused, say)
     */
    record Batch(List<RunRecord> complete, Map<String, String> problems, List<String> warnings) { }

    /** The most manifest lines a batch with output folders or patterns may have. */
    static final int MANY_LINES = 4_000_000;

    /** The most bytes one batch carries (one run's files always go, whatever their size). */
    static final long BATCH_BYTES = 1L << 30;

    /** How long a transfer may go without a byte before it is ended. */
    static final Duration STALL = Duration.ofMinutes(2);

    /**
     * Fetches many finished runs of one instance in one round trip whatever their number: the instance streams their
     * logs and outputs as one tar, read here as it comes (nothing is stored on the instance). Every name is checked
     * before anything is written: a name outside the runs asked for, absolute, or climbing out with {@code ..} is
     * refused (naming it). The instance never packs through a link that leads out of a run's folder, a folder, a FIFO
     * or a device; a link in the tar is never written either.
     */
    Batch fetchBatch(Shell shell, RemoteLayout layout, List<Item> items, Consumer<String> progress)
            throws IOException {
        Map<String, Item> byRid = new LinkedHashMap<>();
        StringBuilder requests = new StringBuilder();
        int lines = 0;
        for (Item item : items) {
            byRid.put(item.run().rid(), item);
            for (String name : requested(item)) {
                requests.append(item.run().rid()).append('\t').append(name).append('\n');
                lines++;
            }
        }
        Set<String> got = new HashSet<>();
        List<String> warnings = new ArrayList<>();
        FetchManifest[] manifest = new FetchManifest[1];
        // per request an "as" and a "skip" at most, per run a "later"; a folder or pattern stands for any number
        int maxLines = items.stream().anyMatch(Fetcher::hasMany) ? MANY_LINES : 2 * lines + items.size();
        TransferMeter meter = new TransferMeter(items.get(0).run().instance() + ": fetch", progress);
        var result = shell.execReading(layout.command("fetch.sh", String.valueOf(BATCH_BYTES)), requests.toString(),
                STALL, out -> {
                    InputStream in = new BufferedInputStream(new MeteredInputStream(out, meter), 1 << 16);
                    manifest[0] = FetchManifest.read(in, maxLines);
                    meter.expect(manifest[0].bytes());
                    unpack(in, manifest[0], byRid, shell.describe(), got, warnings);
                });
        meter.done();
        String said = result.stderr().isBlank() ? "" : ": " + result.stderr().strip();
        if (manifest[0] == null) {
            throw new IOException("fetching from " + shell.describe() + " failed (exit " + result.exitCode() + ")"
                    + said);
        }
        if (!result.ok()) {
            // what came is kept; what did not is tried again, and its run given up after its attempts
            warnings.add("packing results on " + shell.describe() + " ended with exit " + result.exitCode() + said);
        }
        return outcome(items, manifest[0], got, warnings);
    }

    private static List<String> requested(Item item) {
        List<String> names = new ArrayList<>(List.of("out.log", "err.log"));
        if (item.run().state() == RunState.DONE) {
            item.outputs().forEach(o -> names.add("work/" + OutputEntry.of(o).path()));
        }
        return names;
    }

    private static boolean hasMany(Item item) {
        return item.outputs().stream().anyMatch(o -> OutputEntry.of(o).many());
    }

    private void unpack(InputStream in, FetchManifest manifest, Map<String, Item> byRid, String from,
                        Set<String> got, List<String> warnings) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            List<String> names = manifest.aliases().getOrDefault(entry.getName(), List.of(entry.getName()));
            List<Path> targets = new ArrayList<>();
            for (String name : names) {
                targets.add(batchTarget(name, byRid, from));
            }
            if (!entry.isFile()) {
                warnings.add("refused '" + printable(entry.getName()) + "' from " + from + ": not a regular file");
                continue;
            }
            ResultFile.write(tar, targets.get(0));
            for (int i = 1; i < targets.size(); i++) {
                ResultFile.copy(targets.get(0), targets.get(i));
            }
            got.addAll(names);
        }
    }

    private Batch outcome(List<Item> items, FetchManifest manifest, Set<String> got, List<String> warnings)
            throws IOException {
        List<RunRecord> complete = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (Item item : items) {
            String rid = item.run().rid();
            if (manifest.later().contains(rid)) {
                continue;
            }
            ResultFile.makeFolder(folder(item.run()));
            List<String> why = new ArrayList<>();
            List<String> asked = requested(item);
            for (String name : asked) {
                String skipped = manifest.skipped().get(rid + "/" + name);
                boolean log = !name.startsWith("work/");
                if (got.contains(rid + "/" + name) || log && (skipped == null || skipped.equals("was not found"))
                        || !log && settled(item, name.substring(5), skipped)) {
                    continue;
                }
                String what = log ? "log " + name : "output '" + name.substring(5) + "'";
                String reason = skipped != null ? skipped : "did not come";
                if (log) {
                    warnings.add(item.run().job() + "/" + item.run().repeat() + ": " + what + " " + reason);
                } else {
                    why.add(what + " " + reason);
                }
            }
            manifest.skipped().forEach((name, reason) -> {
                // a file a folder or pattern matched that could not come
                if (name.startsWith(rid + "/work/") && !asked.contains(name.substring(rid.length() + 1))) {
                    why.add("output '" + name.substring(rid.length() + 6) + "' " + reason);
                }
            });
            if (why.isEmpty()) {
                complete.add(item.run());
            } else {
                problems.put(item.run().uid(), String.join("; ", why));
            }
        }
        return new Batch(complete, problems, warnings);
    }

    /**
     * Whether an output path needs nothing more: an optional one that matched nothing or was not found, or a folder
     * or pattern not skipped as a whole (the files it matched are judged one by one).
     */
    private static boolean settled(Item item, String path, String skipped) {
        OutputEntry entry = item.outputs().stream().map(OutputEntry::of).filter(e -> e.path().equals(path))
                .findFirst().orElseThrow();
        boolean nothing = "matched nothing".equals(skipped) || "was not found".equals(skipped);
        return entry.optional() && nothing || entry.many() && skipped == null;
    }

    /** Where a name from an instance's tar lands, or an exception naming it when it is not one of the files asked for. */
    private Path batchTarget(String name, Map<String, Item> byRid, String from) {
        int slash = name.indexOf('/');
        Item item = slash > 0 ? byRid.get(name.substring(0, slash)) : null;
        if (item == null || name.startsWith("/")) {
            throw new SafePaths.UnsafePathException("refusing remote path '" + printable(name)
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
        if (!rest.startsWith("work/") || output.equals(STDOUT) || output.equals(STDERR)
                || !OutputEntry.anyMatches(item.outputs(), output)) {
            throw new SafePaths.UnsafePathException("refusing remote path '" + printable(name) + "' from " + from
                    + ": not a declared output of the run");
        }
        return target;
    }

    private static String printable(String name) {
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    /** Whether a fetched run's files are all still on the local disk. */
    boolean present(RunRecord run, List<String> outputs) {
        Path folder = folder(run);
        if (run.state() != RunState.DONE) {
            return Files.isDirectory(folder);
        }
        // a folder, a pattern or an optional file may have brought nothing: only the named files are sure
        return outputs.stream().map(OutputEntry::of).filter(e -> !e.many() && !e.optional())
                .allMatch(e -> Files.exists(SafePaths.inside(folder, e.path())));
    }

    /**
     * The fetched files of a run that a folder or pattern output brought, relative to its results folder ('/'-separated,
     * sorted): its logs are never among them.
     */
    List<String> fetchedMatches(RunRecord run, OutputEntry entry) {
        Path folder = folder(run);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            return tree.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(rel -> !rel.equals(STDOUT) && !rel.equals(STDERR) && entry.matches(rel))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the results in " + folder, e);
        }
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
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Copies the results of every fetched run among {@code runs} into another folder (for {@code fetch DIR}). */
    void copyFetched(List<RunRecord> runs, Path otherRoot) {
        for (RunRecord run : runs) {
            if (run.fetched()) {
                try {
                    copyTo(run, otherRoot);
                } catch (IOException e) {
                    throw new SessionException("cannot copy results into " + otherRoot + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void copyTo(RunRecord run, Path otherRoot) throws IOException {
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
