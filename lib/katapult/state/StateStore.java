package katapult.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A project's {@code state.json}, replaced atomically on every save, held under an exclusive lock for as long as
 * this store is open, so two Katapult processes never drive one project. A file it cannot read is never
 * overwritten.
 */
public final class StateStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Locks the project folder (creating it) or fails with a message naming who holds it. */
    public static StateStore open(Path projectDir) {
        try {
            Files.createDirectories(projectDir);
            Path lockFile = projectDir.resolve("lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StateException("another Katapult (" + holder(lockFile) + ") is driving project '"
                        + projectDir.getFileName() + "'; wait for it to finish or stop it (lock: " + lockFile + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new StateStore(projectDir, channel, lock);
        } catch (IOException e) {
            throw new StateException("cannot lock " + projectDir + ": " + e.getMessage(), e);
        }
    }

    private static String holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    /** Reads a project's state without locking it (for a look while another process drives it). */
    public static Optional<ProjectState> peek(Path projectDir) {
        return read(projectDir.resolve("state.json"));
    }

    public Path file() {
        return dir.resolve("state.json");
    }

    public Optional<ProjectState> load() {
        return read(file());
    }

    private static Optional<ProjectState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ProjectState state;
        try {
            state = JSON.readValue(file.toFile(), ProjectState.class);
        } catch (JsonProcessingException e) {
            throw new StateException("state file " + file + " is not valid Katapult state ("
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + "). It was left untouched:"
                    + " move it away to start the project afresh.", e);
        } catch (IOException e) {
            throw new StateException("cannot read state file " + file + ": " + e.getMessage(), e);
        }
        String folder = file.getParent().getFileName().toString();
        if (state == null || !ProjectState.FORMAT.equals(state.format()) || !folder.equals(state.project())) {
            throw new StateException("state file " + file + " is not a " + ProjectState.FORMAT
                    + " file of project '" + folder + "'. It was left untouched: move it away to start afresh.");
        }
        List<String> problems = state.problems();
        if (!problems.isEmpty()) {
            throw new StateException("state file " + file + " is not valid Katapult state: " + String.join("; ", problems)
                    + ". It was left untouched: move it away to start the project afresh.");
        }
        return Optional.of(state);
    }

    /** Writes to a temporary file, forces it to disk, then renames it over state.json. */
    public void save(ProjectState state) {
        Path target = file();
        Path partial = dir.resolve("state.json.part");
        try {
            byte[] bytes = JSON.writeValueAsBytes(state);
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(bytes));
                out.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StateException("cannot save state file " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process; nothing else to do
        }
    }
}
