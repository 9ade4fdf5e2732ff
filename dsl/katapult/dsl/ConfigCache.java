package katapult.dsl;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import groovy.lang.Script;
import katapult.config.ConfigForm;
import katapult.config.RawMap;
import katapult.util.Hashes;

/**
 * What pure config scripts recorded ({@link PureScript}), by their text: a command that loads such a config again
 * binds the recorded tree instead of compiling and running the script, which is most of a quick command's time
 * (Groovy's compiler and runtime). Only the script is skipped: the binder and the planner still read the config's
 * files, so a changed upload or input is seen as before.
 *
 * <p>An entry's key is the SHA-256 of the text, of the code that records (Katapult's and Groovy's jars, or the newest
 * class file of a build folder) and of the default locale (a script's {@code toUpperCase} depends on it). Entries are
 * written whole (a temporary file renamed), never changed, and the oldest go beyond {@value #KEPT} entries. The cache
 * is an optimisation only: an entry that cannot be read or written is a miss, and the script runs.
 *
 * <p>Where: {@value #VARIABLE} names the folder, or {@code off}; else {@code $XDG_CACHE_HOME/katapult/configs}, or
 * {@code ~/.cache/katapult/configs}.
 */
final class ConfigCache {

    static final String VARIABLE = "KATAPULT_CONFIG_CACHE";
    static final int KEPT = 400;
    private static final String SUFFIX = ".json";

    private final Path dir;

    private ConfigCache(Path dir) {
        this.dir = dir;
    }

    /** The cache the environment asks for (see the class comment); an off cache finds and keeps nothing. */
    static ConfigCache of(Map<String, String> environment) {
        String set = environment.get(VARIABLE);
        if (set != null && set.trim().equals("off")) {
            return new ConfigCache(null);
        }
        if (set != null && !set.isBlank()) {
            return new ConfigCache(Path.of(set.trim()));
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ConfigCache(base.resolve("katapult").resolve("configs"));
    }

    /** The tree recorded for a script of this text, when there is one. */
    Optional<RawCodec.Decoded> find(String text) {
        if (dir == null) {
            return Optional.empty();
        }
        try {
            return RawCodec.decode(Files.readAllBytes(entry(text)));
        } catch (IOException | RuntimeException missOrUnreadable) {
            return Optional.empty();
        }
    }

    /** Records the tree of a pure script of this text (nothing when the tree holds a value without an encoding). */
    void keep(String text, ConfigForm form, RawMap root) {
        if (dir == null) {
            return;
        }
        Optional<byte[]> bytes = RawCodec.encode(form, root);
        if (bytes.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path entry = entry(text);
            Path part = Files.createTempFile(dir, "entry.", ".part");
            try {
                Files.write(part, bytes.get());
                Files.move(part, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            prune();
        } catch (IOException | RuntimeException unwritable) {
            // a cache that cannot be written is a cache that misses: the config was loaded all the same
        }
    }

    /** Removes the oldest entries beyond {@link #KEPT}. */
    private void prune() throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(dir)) {
            entries = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList();
        }
        if (entries.size() <= KEPT) {
            return;
        }
        List<Path> oldestFirst = entries.stream().sorted(Comparator.comparing(ConfigCache::modified)).toList();
        for (Path old : oldestFirst.subList(0, entries.size() - KEPT)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    Path entry(String text) {
        String key = Hashes.of(text + "\0" + Code.ID + "\0" + Locale.getDefault().toLanguageTag());
        return dir.resolve(key + SUFFIX);
    }

    /**
     * What identifies the code that records a script's tree: Katapult's and Groovy's class locations, as built; told
     * once per JVM (a build folder is walked for it).
     */
    private static final class Code {
        static final String ID = location(ConfigCache.class) + "\0" + location(Script.class);
    }

    /** A jar by its path, size and modification time; a build folder by its path and newest file. */
    private static String location(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            Path path = Path.of(source.getLocation().toURI());
            if (Files.isRegularFile(path)) {
                return path + " " + Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis();
            }
            try (Stream<Path> files = Files.walk(path)) {
                return path + " " + files.filter(Files::isRegularFile).map(ConfigCache::modified)
                        .max(Comparator.naturalOrder()).map(FileTime::toMillis).orElse(0L);
            }
        } catch (IOException | URISyntaxException | RuntimeException unknown) {
            // a code source that cannot be told: a key no other run shares, so nothing recorded is reused
            return "unknown " + System.nanoTime();
        }
    }

    @Override
    public String toString() {
        return dir == null ? "off" : dir.toString();
    }
}
