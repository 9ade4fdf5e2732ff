package katapult.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import katapult.config.ConfigKeys.Block;

/**
 * Binds a job's files: the uploads and inputs (local files that must exist and land in the run's folder under
 * distinct names) and the outputs (plain relative names inside the working folder).
 */
final class JobFiles {

    private final Binding in;

    JobFiles(Binding in) {
        this.in = in;
    }

    List<Path> files(RawMap m, String key, String alias, String what, Map<String, Path> landed) {
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
            Path p = in.path(s, item.line(), usedKey);
            if (p == null) {
                continue;
            }
            if (Files.isDirectory(p)) {
                in.problem(item.line(), "'" + spelled + "': '" + s + "' is a folder; list the files in it (" + p + ")");
            } else if (!Files.isRegularFile(p)) {
                in.problem(item.line(), "'" + spelled + "': no such " + what + " '" + s + "' (" + p + ")");
            } else if (paths.contains(p)) {
                in.problem(item.line(), "'" + spelled + "' lists '" + s + "' twice");
            } else if (landed.containsKey(p.getFileName().toString())
                    && !landed.get(p.getFileName().toString()).equals(p)) {
                in.problem(item.line(), "'" + spelled + "': '" + s + "' would land in the run's folder as '"
                        + p.getFileName() + "', like " + landed.get(p.getFileName().toString())
                        + "; give the files of one job different names");
            } else {
                landed.put(p.getFileName().toString(), p);
                paths.add(p);
            }
        }
        return paths;
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
