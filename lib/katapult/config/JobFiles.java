package katapult.config;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import katapult.config.ConfigKeys.Block;

/**
 * Binds a job's files: the uploads and inputs (local files, folders or glob patterns that must match a file; each
 * file lands in the run's folder under a distinct name) and the outputs (relative names, folders or patterns inside
 * the working folder).
 */
final class JobFiles {

    private final Binding in;

    JobFiles(Binding in) {
        this.in = in;
    }

    /**
     * The files of {@code key}: each entry a file, a folder (its files, recursively) or a glob pattern relative to the
     * config's folder (its matches); where each lands in the run's folder goes into {@code landing} (for a folder's or a
     * pattern's files) and {@code landed} (by landing name, to find two files landing on one name).
     */
    List<Path> files(RawMap m, String key, String alias, String what, Map<String, Path> landed,
                     Map<Path, String> landing) {
        String usedKey = key;
        if (alias != null && in.val(m, alias) != null) {
            if (in.val(m, key) != null) {
                in.problem(in.line(m, alias), "give '" + in.spell(Block.JOB, key) + "' or '" + in.aliasSpelling(alias)
                        + "', not both");
                return List.of();
            }
            usedKey = alias;
        }
        Located v = in.val(m, usedKey);
        if (v == null) {
            return List.of();
        }
        String spelled = usedKey.equals(alias) ? in.aliasSpelling(alias) : in.spell(Block.JOB, key);
        List<Path> paths = new ArrayList<>();
        for (Located item : Readers.items(v, spelled, in)) {
            String s = item.value().toString();
            if (s.isBlank()) {
                in.problem(item.line(), "'" + spelled + "' holds an empty file name");
                continue;
            }
            Map<Path, String> found = entry(s, item.line(), spelled, usedKey, what);
            found.forEach((p, at) -> add(p, at, s, item.line(), spelled, paths, landed, landing));
        }
        return paths;
    }

    /** The files one entry stands for and where each lands; empty (with a problem said) when none. */
    private Map<Path, String> entry(String s, int line, String spelled, String usedKey, String what) {
        try {
            if (OutputEntry.pattern(s)) {
                String bad = badOutput(s);
                if (bad != null) {
                    in.problem(line, "'" + spelled + "': the pattern '" + s + "' " + bad.replace("job's working folder",
                            "config's folder"));
                    return Map.of();
                }
                Map<Path, String> found = LocalMatches.pattern(in.dir, s);
                if (found.isEmpty()) {
                    in.problem(line, "'" + spelled + "': the pattern '" + s + "' matches no file (in " + in.dir + ")");
                }
                return found;
            }
            Path p = in.path(s, line, usedKey);
            if (p == null) {
                return Map.of();
            }
            if (Files.isDirectory(p)) {
                Map<Path, String> found = LocalMatches.folder(p);
                if (found.isEmpty()) {
                    in.problem(line, "'" + spelled + "': the folder '" + s + "' holds no file (" + p + ")");
                }
                return found;
            }
            if (!Files.isRegularFile(p)) {
                in.problem(line, "'" + spelled + "': no such " + what + " '" + s + "' (" + p + ")");
                return Map.of();
            }
            return Map.of(p, p.getFileName().toString());
        } catch (UncheckedIOException e) {
            in.problem(line, "'" + spelled + "': cannot read '" + s + "': " + e.getCause().getMessage());
            return Map.of();
        }
    }

    private void add(Path p, String at, String s, int line, String spelled, List<Path> paths, Map<String, Path> landed,
                     Map<Path, String> landing) {
        if (paths.contains(p)) {
            in.problem(line, "'" + spelled + "' lists '" + (at.equals(p.getFileName().toString()) ? s : at) + "' twice");
        } else if (landed.containsKey(at) && !landed.get(at).equals(p)) {
            in.problem(line, "'" + spelled + "': '" + s + "' would land in the run's folder as '" + at + "', like "
                    + landed.get(at) + "; give the files of one job different names");
        } else {
            landed.put(at, p);
            paths.add(p);
            if (!at.equals(p.getFileName().toString())) {
                landing.put(p, at);
            }
        }
    }

    List<String> outputs(RawMap m) {
        String key = "output_files";
        if (in.val(m, "output_file") != null) {
            if (in.val(m, key) != null) {
                in.problem(in.line(m, "output_file"), "give '" + in.spell(Block.JOB, key) + "' or '" + in.aliasSpelling("output_file")
                        + "', not both");
                return List.of();
            }
            key = "output_file";
        }
        String spelled = key.equals("output_file") ? in.aliasSpelling(key) : in.spell(Block.JOB, key);
        return relativeFiles(m, key, spelled, "an output", true);
    }

    /**
     * The files a key lists relative to the job's working folder ({@code what}: what one is, for the messages),
     * normalised; each wrong one, or one listed twice, is a problem on its line.
     */
    List<String> relativeFiles(RawMap m, String key, String what) {
        return relativeFiles(m, key, in.spell(Block.JOB, key), "a " + what + " file", false);
    }

    /** {@code entries}: folders ({@code ckpt/}), glob patterns and the optional mark (a trailing {@code ?}) are allowed. */
    private List<String> relativeFiles(RawMap m, String key, String spelled, String what, boolean entries) {
        Located v = in.val(m, key);
        if (v == null) {
            return List.of();
        }
        List<String> outputs = new ArrayList<>();
        for (Located item : Readers.items(v, spelled, in)) {
            String raw = item.value().toString();
            if (raw.codePoints().anyMatch(Character::isISOControl)) {
                in.problem(item.line(), "'" + spelled + "': '" + escaped(raw) + "' holds a control character (a new line,"
                        + " a tab...); " + what + " is a plain file name relative to the job's working folder");
                continue;
            }
            String s = raw.trim();
            OutputEntry entry = entries ? OutputEntry.of(s) : new OutputEntry(s, false);
            String bad = badOutput(entry.path());
            if (bad != null) {
                in.problem(item.line(), "'" + spelled + "': '" + s + "' " + bad);
                continue;
            }
            if (!entries && (s.endsWith("/") || OutputEntry.pattern(s))) {
                in.problem(item.line(), "'" + spelled + "': '" + s + "' must name one file (no folder, no pattern)");
                continue;
            }
            String normal = Path.of(entry.path()).normalize().toString().replace(File.separatorChar, '/')
                    + (entry.folder() ? "/" : "") + (entry.optional() ? "?" : "");
            if (outputs.contains(normal)) {
                in.problem(item.line(), "'" + spelled + "' lists '" + s + "' twice");
            } else {
                outputs.add(normal);
            }
        }
        return outputs;
    }

    /** Why an output path is not allowed, or null. */
    static String badOutput(String s) {
        if (s.isEmpty()) {
            return "is empty";
        }
        if (s.startsWith("/") || s.startsWith("~") || s.matches("^[A-Za-z]:[\\\\/].*")) {
            return "must be relative to the job's working folder, not absolute";
        }
        Path p;
        try {
            p = Path.of(s);
        } catch (InvalidPathException e) {
            return "is not a valid path";
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                return "must stay inside the job's working folder (no '..')";
            }
        }
        String normal = p.normalize().toString();
        if (normal.isEmpty() || normal.equals(".")) {
            return "names the working folder itself, not a file";
        }
        if (normal.equals("stdout.log") || normal.equals("stderr.log")) {
            return "is where Katapult keeps the run's own log; name the file differently";
        }
        return null;
    }
    /** A text on one line: control characters written as Java escapes ({@code \n}, {@code \u0001}). */
    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c);
        }));
        return b.toString();
    }
}
