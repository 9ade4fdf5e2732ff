package katapult.config;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local files a folder or a glob pattern of {@code upload_files} / {@code input_files} stands for, each with where
 * it lands in the run's folder, in name order. A folder brings every file under it (links to files count as files);
 * a pattern is matched as bash matches it (globstar on: {@code **} crosses folders, {@code *} and {@code ?} do not,
 * and neither matches a name that starts with a dot), a folder it matches bringing its files.
 */
final class LocalMatches {

    private LocalMatches() {
    }

    /** The files under {@code folder}, landing under the folder's own name with their path inside it. */
    static Map<Path, String> folder(Path folder) {
        Map<Path, String> files = new LinkedHashMap<>();
        String name = folder.getFileName() == null ? "" : folder.getFileName() + "/";
        for (Path file : regularFiles(folder)) {
            files.put(file, name + slashed(folder.relativize(file)));
        }
        return files;
    }

    /** The files {@code glob} (relative, no {@code ..}) matches under {@code base}, landing with their path from it. */
    static Map<Path, String> pattern(Path base, String glob) {
        Pattern regex = Pattern.compile(OutputEntry.regex(glob));
        Map<Path, String> files = new LinkedHashMap<>();
        Path start = base.resolve(fixedPart(glob));
        for (Path file : regularFiles(start)) {
            String rel = slashed(base.relativize(file));
            if (brought(regex, rel, glob)) {
                files.put(file, rel);
            }
        }
        return files;
    }

    /** Whether {@code rel} matches, or lies under a folder that matches; hidden names only where the glob says '.'. */
    private static boolean brought(Pattern regex, String rel, String glob) {
        String fixed = fixedPart(glob);
        String matched = fixed.isEmpty() ? rel : rel.substring(fixed.length() + 1);
        String[] parts = matched.split("/");
        String prefix = fixed;
        for (String part : parts) {
            if (part.startsWith(".") && !glob.contains("/.") && !glob.startsWith(".")) {
                return false;
            }
            prefix = prefix.isEmpty() ? part : prefix + "/" + part;
            if (regex.matcher(prefix).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The leading folders of a glob without glob characters (where the search starts). */
    private static String fixedPart(String glob) {
        String[] parts = glob.split("/");
        StringBuilder fixed = new StringBuilder();
        for (int i = 0; i < parts.length - 1 && !OutputEntry.pattern(parts[i]); i++) {
            fixed.append(fixed.length() == 0 ? "" : "/").append(parts[i]);
        }
        return fixed.toString();
    }

    /** The regular files under a folder, sorted; an unreadable folder is an {@link UncheckedIOException}. */
    private static List<Path> regularFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            return tree.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String slashed(Path rel) {
        return rel.toString().replace(File.separatorChar, '/');
    }
}
