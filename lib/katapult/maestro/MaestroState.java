package katapult.maestro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import katapult.state.ProjectState;
import katapult.state.StateStore;
import katapult.transport.Shell;

/**
 * Mirrors the maestro's record of the runs and instances into this machine's state, so that the project's state
 * here tells what the maestro did (which runs are DONE and fetched) once the maestro is gone: a later local run
 * then resumes from it instead of running every job again. The config files stay this machine's.
 */
final class MaestroState {

    private MaestroState() {
    }

    /** Copies the maestro's runs, instances and job names into the local state; false when it has no state. */
    static boolean mirror(Shell shell, MaestroFolder folder, Path localStateDir) throws IOException {
        Optional<ProjectState> remote = read(shell, folder);
        if (remote.isEmpty()) {
            return false;
        }
        try (StateStore store = StateStore.open(localStateDir)) {
            ProjectState local = store.load().orElse(remote.get());
            store.save(local.withRuns(remote.get().runs()).withInstances(remote.get().instances())
                    .withJobNames(remote.get().jobNames()));
        }
        return true;
    }

    private static Optional<ProjectState> read(Shell shell, MaestroFolder folder) throws IOException {
        Path temp = Files.createTempDirectory("katapult-maestro-state");
        try {
            Path dir = Files.createDirectories(temp.resolve(folder.project()));
            try {
                shell.get(folder.state() + "/state.json", dir.resolve("state.json"));
            } catch (NoSuchFileException absent) {
                return Optional.empty();
            }
            try {
                // the saves since the maestro last wrote its snapshot
                shell.get(folder.state() + "/state.journal", dir.resolve("state.journal"));
            } catch (NoSuchFileException absent) {
                // none yet: the snapshot is the whole state
            }
            return StateStore.peek(dir);
        } finally {
            try (Stream<Path> walk = Files.walk(temp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
