package katapult.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonAppend;

/**
 * A project's state, held under an exclusive lock for as long as this store is open, so two Katapult processes never
 * drive one project. It is a snapshot, {@code state.json}, and a journal, {@code state.journal}: a save appends
 * one line with what changed since the last one (see {@link StateChange}), so it costs what changed, not the whole
 * state; once the journal outgrows the snapshot, and when the store closes, the snapshot is written anew (to a
 * temporary file, forced to disk, renamed over {@code state.json}) and then the journal emptied. The snapshot names
 * the last line it holds ({@code "journal"}), so a process killed between the rename and the emptying loses nothing
 * and replays nothing twice. A file it cannot read is never overwritten.
 */
public final class StateStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(ProjectState.class, SnapshotHeader.class);
    private static final ObjectMapper LINES = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
    private static final String SEQ = "journal";

    /** Writes the snapshot's last journal line first, so that a reader learns it before the runs. */
    @JsonAppend(prepend = true, attrs = @JsonAppend.Attr(value = SEQ, include = JsonInclude.Include.NON_NULL))
    private interface SnapshotHeader {
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** The state as the files hold it (null until loaded or saved), and the number of its last save. */
    private ProjectState saved;
    private long seq;
    private StateJournal journal;
    private long snapshotBytes;

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
        return Optional.ofNullable(read(projectDir.resolve("state.json"), new ArrayList<>()).state());
    }

    public Path file() {
        return dir.resolve("state.json");
    }

    /** The journal beside {@code state.json}: the saves since the snapshot was written. */
    public Path journalFile() {
        return journalOf(file());
    }

    private static Path journalOf(Path stateFile) {
        return stateFile.resolveSibling("state.journal");
    }

    public Optional<ProjectState> load() {
        List<StateChange> changes = new ArrayList<>();
        Loaded loaded = read(file(), changes);
        saved = loaded.state();
        seq = changes.isEmpty() ? loaded.seq() : Math.max(loaded.seq(), changes.get(changes.size() - 1).seq());
        journal = loaded.journal();
        snapshotBytes = loaded.snapshotBytes();
        return Optional.ofNullable(saved);
    }

    /** What the files held: the state (null when there is none), its last save's number, the journal to go on. */
    private record Loaded(ProjectState state, long seq, StateJournal journal, long snapshotBytes) {
    }

    private static Loaded read(Path file, List<StateChange> changes) {
        if (!Files.exists(file)) {
            return new Loaded(null, 0, StateJournal.fresh(journalOf(file), LINES), 0);
        }
        long[] seq = {0};
        ProjectState snapshot = snapshot(file, seq);
        StateJournal journal = StateJournal.read(journalOf(file), LINES, changes);
        ProjectState state = snapshot;
        if (changes.stream().anyMatch(c -> c.seq() > seq[0])) {
            StateReplay replay = new StateReplay(snapshot);
            changes.stream().filter(c -> c.seq() > seq[0]).forEach(replay::apply);
            state = replay.result();
        }
        List<String> problems = state.problems();
        if (!problems.isEmpty()) {
            throw new StateException("state file " + file + " is not valid Katapult state: " + String.join("; ", problems)
                    + ". It was left untouched: move it away to start the project afresh.");
        }
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            bytes = 0;
        }
        return new Loaded(state, seq[0], journal, bytes);
    }

    /** The snapshot in {@code file}; {@code seq[0]} gets the number of the last journal line it holds. */
    private static ProjectState snapshot(Path file, long[] seq) {
        ProjectState state;
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME
                    && SEQ.equals(parser.currentName())) {
                parser.nextToken();
                seq[0] = parser.getLongValue();
                parser.nextToken();
            }
            state = parser.currentToken() == null ? null : JSON.readValue(parser, ProjectState.class);
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
        return state;
    }

    /**
     * Saves {@code state}: one journal line with what changed since the last save (nothing when nothing did), or a
     * new snapshot when a line cannot say it (runs removed or reordered), when the journal has outgrown the snapshot,
     * or when this store never read the files (it then replaces whatever they held).
     */
    public void save(ProjectState state) {
        try {
            if (saved == null) {
                Files.deleteIfExists(journalFile());
                journal = StateJournal.fresh(journalFile(), LINES);
                writeSnapshot(state);
                return;
            }
            if (state == saved) {
                return;
            }
            StateChange change = StateChange.between(saved, state, seq + 1);
            if (change == null) {
                writeSnapshot(state);
                return;
            }
            if (change.isEmpty()) {
                return;
            }
            journal.append(change);
            seq = change.seq();
            saved = state;
            if (journal.length() > snapshotBytes) {
                writeSnapshot(state);
            }
        } catch (IOException e) {
            throw new StateException("cannot save state file " + file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the whole state to a temporary file, forces it to disk, renames it over state.json, then empties the
     * journal: killed at any point, the files still give the last state saved.
     */
    private void writeSnapshot(ProjectState state) throws IOException {
        Path target = file();
        Path partial = dir.resolve("state.json.part");
        ObjectWriter writer = JSON.writerFor(ProjectState.class).withAttribute(SEQ, seq == 0 ? null : seq)
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writer.writeValue(Channels.newOutputStream(out), state);
            out.force(true);
            snapshotBytes = out.size();
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        journal.clear();
        saved = state;
    }

    /** Folds the journal into the snapshot, so that a project at rest is one file, then lets go of the lock. */
    @Override
    public void close() {
        try {
            if (saved != null && journal.length() > 0) {
                writeSnapshot(saved);
            }
        } catch (IOException | RuntimeException e) {
            // the journal keeps every save: the next load replays it
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process; nothing else to do
        }
    }
}
