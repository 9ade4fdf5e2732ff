package katapult.dsl;

import java.util.ArrayDeque;
import java.util.regex.Pattern;

/** Hints added to the compiler's syntax errors for the mistakes config writers make most. */
final class SyntaxHints {

    private static final Pattern PYTHON_DICT = Pattern.compile("(?m)^\\s*(?:def\\s+)?config\\s*=\\s*\\{");
    private static final Pattern MAP_KEY_LINE = Pattern.compile("^\\s*(['\"]?)[A-Za-z_][\\w]*\\1\\s*:.*");

    private SyntaxHints() {
    }

    /** "; hint" text to append to the message of the first syntax error, or "". */
    static String hints(String text, int line, int column, String message) {
        StringBuilder b = new StringBuilder();
        if (PYTHON_DICT.matcher(text).find()) {
            b.append("; the map form is written with square brackets: config = [ key: value, ... ]");
        }
        if (message.contains("'#'")) {
            b.append("; Groovy comments start with // (not #)");
        }
        String[] lines = text.split("\n", -1);
        if (b.length() == 0 && line >= 2 && line <= lines.length) {
            String here = lines[line - 1];
            int firstChar = here.length() - here.stripLeading().length() + 1;
            if (column == firstChar && MAP_KEY_LINE.matcher(here).matches()) {
                int prev = line - 2;
                while (prev >= 0 && lines[prev].strip().isEmpty()) {
                    prev--;
                }
                if (prev >= 0) {
                    String p = stripComment(lines[prev]).strip();
                    if (!p.isEmpty() && !p.endsWith(",") && !p.endsWith("[") && !p.endsWith("(") && !p.endsWith("{")) {
                        b.append("; is a ',' missing at the end of line ").append(prev + 1).append('?');
                    }
                }
            }
        }
        return b.toString();
    }

    private static String stripComment(String line) {
        int i = line.indexOf("//");
        return i >= 0 && !inString(line, i) ? line.substring(0, i) : line;
    }

    private static boolean inString(String line, int upTo) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < upTo; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
        }
        return single || dbl;
    }

    /** An opening or closing bracket that has no partner, and where it is. */
    record Imbalance(int line, int column, String message) {
    }

    /**
     * Whether (), [] and {} pair up outside strings and comments; null when they do. Indentation
     * tells which bracket was left open: a closing bracket first on its line closes the opening one
     * on the line indented the same, and the ones opened deeper in between are the unclosed ones.
     */
    static Imbalance balance(String text) {
        record Open(char c, int line, int column, int indent) {
        }
        ArrayDeque<Open> stack = new ArrayDeque<>();
        Open firstUnclosed = null;
        int n = text.length();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
                continue;
            }
            if (text.startsWith("//", i)) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? n : nl;
                continue;
            }
            if (text.startsWith("/*", i) || text.startsWith("'\'\'", i) || text.startsWith("\"\"\"", i)) {
                String end = text.startsWith("/*", i) ? "*/" : text.substring(i, i + 3);
                int stop = text.indexOf(end, i + 2);
                int to = stop < 0 ? n : stop + end.length();
                for (int k = i; k < to; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                i = to;
                continue;
            }
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                i = j < n && text.charAt(j) == '\n' ? j : j + 1;
                continue;
            }
            int indent = indent(text, lineStart);
            boolean firstOnLine = lineStart + indent == i;
            if (c == '(' || c == '[' || c == '{') {
                stack.push(new Open(c, line, i - lineStart + 1, indent));
            } else if (c == ')' || c == ']' || c == '}') {
                char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (stack.isEmpty()) {
                    return new Imbalance(line, i - lineStart + 1, "this '" + c + "' closes nothing: one too many");
                }
                if (firstOnLine && stack.peek().indent() > indent) {
                    Open match = null;
                    for (Open o : stack) {
                        if (o.indent() == indent && o.c() == open) {
                            match = o;
                            break;
                        }
                    }
                    if (match != null) {
                        while (stack.peek() != match) {
                            Open unclosed = stack.pop();
                            if (firstUnclosed == null || unclosed.line() < firstUnclosed.line()) {
                                firstUnclosed = unclosed;
                            }
                        }
                    }
                }
                stack.pop();
            }
            i++;
        }
        if (firstUnclosed == null && !stack.isEmpty()) {
            firstUnclosed = stack.peek();
        }
        if (firstUnclosed != null) {
            char close = firstUnclosed.c() == '(' ? ')' : firstUnclosed.c() == '[' ? ']' : '}';
            return new Imbalance(firstUnclosed.line(), firstUnclosed.column(),
                    "the '" + firstUnclosed.c() + "' at line " + firstUnclosed.line() + " is never closed: a '" + close
                            + "' seems to be missing");
        }
        return null;
    }

    private static int indent(String text, int lineStart) {
        int k = lineStart;
        while (k < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
            k++;
        }
        return k - lineStart;
    }
}
