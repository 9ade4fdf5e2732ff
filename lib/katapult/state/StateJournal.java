package katapult.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code state.journal}: one {@link StateChange} per line, appended and forced to disk on every save. A process
 * killed while appending leaves a torn last line: it is ignored when read and cut off before the next append, so the
 * journal is always the saves that reached the disk whole.
 */
final class StateJournal {

    private final Path file;
    private final ObjectMapper json;
    /** Bytes of whole lines; anything after them is a torn line. */
    private long length;

    private StateJournal(Path file, ObjectMapper json, long length) {
        this.file = file;
        this.json = json;
        this.length = length;
    }

    /** The changes of {@code file} (none when absent), in order, and the journal to append to. */
    static StateJournal read(Path file, ObjectMapper json, List<StateChange> into) {
        if (!Files.exists(file)) {
            return new StateJournal(file, json, 0);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StateException("cannot read state journal " + file + ": " + e.getMessage(), e);
        }
        long whole = 0;
        int line = 0;
        for (int start = 0; start < bytes.length; ) {
            int end = indexOf(bytes, (byte) '\n', start);
            line++;
            StateChange change = end < 0 ? null : parse(json, bytes, start, end - start);
            if (change == null) {
                if (end >= 0 && end + 1 < bytes.length) {
                    throw new StateException("state journal " + file + " is not valid Katapult state (line " + line
                            + "). It was left untouched: move it away to go back to state.json alone.");
                }
                break;
            }
            into.add(change);
            start = end + 1;
            whole = start;
        }
        return new StateJournal(file, json, whole);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The line as a change, or null when it is not one (a torn write, when it is the last). */
    private static StateChange parse(ObjectMapper json, byte[] bytes, int offset, int length) {
        try {
            return json.readValue(bytes, offset, length, StateChange.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** An empty journal at {@code file} (for a store that writes a state it never read). */
    static StateJournal fresh(Path file, ObjectMapper json) {
        return new StateJournal(file, json, 0);
    }

    long length() {
        return length;
    }

    /** Appends {@code change} as one line, after cutting off a torn line, and forces it to disk. */
    void append(StateChange change) throws IOException {
        byte[] line = (json.writeValueAsString(change) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (out.size() != length) {
                out.truncate(length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            long at = length;
            while (buffer.hasRemaining()) {
                at += out.write(buffer, at);
            }
            out.force(false);
        }
        length += line.length;
    }

    /** Empties the journal, once a snapshot holds all its lines. */
    void clear() throws IOException {
        if (Files.exists(file)) {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                out.truncate(0);
                out.force(false);
            }
        }
        length = 0;
    }
}
