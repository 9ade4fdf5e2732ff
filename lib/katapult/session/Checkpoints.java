package katapult.session;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import katapult.remote.FetchManifest;
import katapult.remote.RemoteLayout;
import katapult.state.RunRecord;
import katapult.transport.SafePaths;
import katapult.transport.Shell;

/**
 * The checkpoint files ({@code checkpoint_files}) of runs whose spot instance got an interruption notice: fetched
 * from the preempted attempt's working folder into {@code .katapult/<project>/checkpoints/<uid>/} while the instance
 * is still there, and placed in the working folder of the run's next attempt. A fetch lands whole or not at all: the
 * files come into a folder of their own, which then replaces the run's earlier checkpoint in one move. Only the
 * files the job lists are written, each a regular file inside the run's folder; any other name the instance sends is
 * refused.
 */
final class Checkpoints {

    /** The folder of the project's state that holds them, one folder per run. */
    static final String FOLDER = "checkpoints";

    private final Path root;

    Checkpoints(Path stateDir) {
        this.root = stateDir.toAbsolutePath().normalize().resolve(FOLDER);
    }

    Path folder(String uid) {
        return SafePaths.inside(root, uid);
    }

    /**
     * Fetches the checkpoint {@code files} of {@code run} (the attempt that was preempted, its folder still on the
     * instance) through the instance's fetch.sh, without acknowledging anything.
     *
     * @return how many of the files came; with none, the run's earlier checkpoint (if any) is kept
     */
    int fetch(Shell shell, RemoteLayout layout, RunRecord run, List<String> files) throws IOException {
        StringBuilder requests = new StringBuilder();
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String file : files) {
            requests.append(run.rid()).append("\twork/").append(file).append('\n');
            wanted.put(run.rid() + "/work/" + file, file);
        }
        Path part = SafePaths.inside(root, run.uid() + ".part");
        deleteTree(part);
        int[] came = {0};
        var result = shell.execReading(layout.command("fetch.sh", String.valueOf(Fetcher.BATCH_BYTES)),
                requests.toString(), Fetcher.STALL, out -> {
                    InputStream in = new BufferedInputStream(out, 1 << 16);
                    FetchManifest manifest = FetchManifest.read(in, 2 * files.size() + 1);
                    came[0] = unpack(in, manifest, wanted, part, shell.describe());
                });
        try {
            if (!result.ok()) {
                throw new IOException("fetching the checkpoint of " + run.rid() + " from " + shell.describe()
                        + " failed (exit " + result.exitCode() + ")"
                        + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
            }
            if (came[0] > 0) {
                replace(run.uid(), part);
            }
            return came[0];
        } finally {
            deleteTree(part);
        }
    }

    private static int unpack(InputStream in, FetchManifest manifest, Map<String, String> wanted, Path part,
                              String from) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry entry;
        int came = 0;
        while ((entry = tar.getNextEntry()) != null) {
            List<String> names = manifest.aliases().getOrDefault(entry.getName(), List.of(entry.getName()));
            for (String name : names) {
                if (!wanted.containsKey(name)) {
                    throw new SafePaths.UnsafePathException("refusing remote path '"
                            + name.replaceAll("\\p{Cntrl}", "?") + "' from " + from + ": not a checkpoint file asked for");
                }
            }
            if (!entry.isFile()) {
                continue;
            }
            Path first = SafePaths.inside(part, wanted.get(names.get(0)));
            ResultFile.write(tar, first);
            came++;
            for (String name : names.subList(1, names.size())) {
                ResultFile.copy(first, SafePaths.inside(part, wanted.get(name)));
                came++;
            }
        }
        return came;
    }

    /** The run's checkpoint becomes {@code part}: the old one moves aside first, so a crash leaves one or the other. */
    private void replace(String uid, Path part) throws IOException {
        Path current = folder(uid);
        Path old = SafePaths.inside(root, uid + ".old");
        deleteTree(old);
        if (Files.exists(current)) {
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(part, current, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /**
     * The checkpoint files Katapult holds for the run {@code uid}, name relative to the working folder → local file;
     * only the names the job lists now, each a regular file; empty when there is none.
     */
    Map<String, Path> held(String uid, List<String> files) {
        Map<String, Path> held = new LinkedHashMap<>();
        Path folder = folder(uid);
        if (!Files.isDirectory(folder)) {
            return held;
        }
        for (String file : files) {
            Path local = SafePaths.inside(folder, file);
            if (Files.isRegularFile(local, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                held.put(file, local);
            }
        }
        return held;
    }

    /**
     * Forgets the run's checkpoint (its run is DONE, or starts afresh); a folder that cannot be deleted now is left
     * for the next time: the run never uses it again either way but through {@link #held}, and a run is forgotten
     * only when no attempt of it will resume.
     */
    void forget(String uid) {
        try {
            deleteTree(folder(uid));
        } catch (IOException | RuntimeException e) {
            // what is left of it is only disk space; nothing reads it for a finished or restarted run
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
