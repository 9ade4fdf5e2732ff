package katapult.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of a job's {@code output_files}: a file ({@code result.csv}), a folder ({@code ckpt/}: every file under
 * it) or a bash glob pattern ({@code plots/*.png}, {@code **}{@code /*.json}: {@code *} and {@code ?} stay within one
 * folder, {@code **} crosses folders, {@code [...]} is a set), all relative to the run's working folder. A trailing
 * {@code ?} marks the entry optional: a run whose entry matches nothing is still DONE.
 *
 * @param path     the entry without its optional mark, as the instance is asked for it
 * @param optional whether matching nothing is allowed
 */
public record OutputEntry(String path, boolean optional) {

    /** Reads an entry as written in the config (already checked). */
    public static OutputEntry of(String written) {
        boolean optional = written.endsWith("?") && written.length() > 1;
        return new OutputEntry(optional ? written.substring(0, written.length() - 1) : written, optional);
    }

    /** Whether it stands for many files (a folder or a pattern) rather than one named file. */
    public boolean many() {
        return folder() || pattern(path);
    }

    /** Whether it names a folder ({@code ckpt/}). */
    public boolean folder() {
        return path.endsWith("/");
    }

    /** Whether {@code text} holds a glob character ({@code * ? [}). */
    static boolean pattern(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** Whether the file {@code name} (relative to the working folder, '/'-separated) is one this entry brings. */
    public boolean matches(String name) {
        if (folder()) {
            return name.startsWith(path) && name.length() > path.length();
        }
        if (!pattern(path)) {
            return name.equals(path);
        }
        return Pattern.matches(regex(path), name);
    }

    /** Whether any of {@code written} (as in the config) brings the file {@code name}. */
    public static boolean anyMatches(List<String> written, String name) {
        return written.stream().map(OutputEntry::of).anyMatch(e -> e.matches(name));
    }

    /** A bash glob (globstar on) as a regular expression over '/'-separated names. */
    static String regex(String glob) {
        StringBuilder r = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i) && (i == 0 || glob.charAt(i - 1) == '/')) {
                r.append("(?:[^/]*/)*");
                i += 3;
            } else if (glob.startsWith("**", i) && (i == 0 || glob.charAt(i - 1) == '/') && i + 2 == glob.length()) {
                r.append(".*");
                i += 2;
            } else if (c == '*') {
                r.append("[^/]*");
                i++;
            } else if (c == '?') {
                r.append("[^/]");
                i++;
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                r.append(set(glob.substring(i + 1, end)));
                i = end + 1;
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return r.toString();
    }

    private static String set(String inside) {
        StringBuilder r = new StringBuilder("(?![/])[");
        String body = inside;
        if (body.startsWith("!") || body.startsWith("^")) {
            r.append('^');
            body = body.substring(1);
        }
        for (char c : body.toCharArray()) {
            r.append(c == '-' ? "-" : Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
        }
        return r.append(']').toString();
    }
}
