package katapult.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Reads and writes a project's {@link MaestroMarker} ({@code maestro.json} in its state folder), replaced atomically
 * so that a process killed while writing leaves the previous marker or the new one, never half of one.
 */
public final class MaestroMarkers {

    /** The marker's file name in the project's state folder; never shipped to the maestro itself. */
    public static final String FILE = "maestro.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Set (to 1) in the environment of the maestro's own Katapult: that process drives the session itself. */
    public static final String MAESTRO_ENV = "KATAPULT_MAESTRO";

    private MaestroMarkers() {
    }

    /** Whether this process is the remote maestro (started by the hand-off with {@link #MAESTRO_ENV} set). */
    public static boolean isTheMaestro() {
        return "1".equals(System.getenv(MAESTRO_ENV));
    }

    /** The marker of the project whose state folder is {@code projectDir}; empty when its maestro is local. */
    public static Optional<MaestroMarker> read(Path projectDir) {
        Path file = projectDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), MaestroMarker.class));
        } catch (IOException e) {
            throw new StateException("maestro marker " + file + " is not readable (" + e.getMessage() + "). It was left"
                    + " untouched: it says the session was handed to a remote maestro; remove it only if none runs.",
                    e);
        }
    }

    public static void write(Path projectDir, MaestroMarker marker) {
        Path file = projectDir.resolve(FILE);
        Path partial = projectDir.resolve(FILE + ".part");
        try {
            Files.createDirectories(projectDir);
            Files.write(partial, JSON.writeValueAsBytes(marker));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StateException("cannot save " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the hand-off (after {@code down} removed the maestro): the project is local again. */
    public static void clear(Path projectDir) {
        try {
            Files.deleteIfExists(projectDir.resolve(FILE));
        } catch (IOException e) {
            throw new StateException("cannot remove " + projectDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
