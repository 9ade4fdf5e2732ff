package katapult.dsl.python;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Splits the text of a Python file into tokens, the way Python's own tokenizer does for the part of the language a
 * config uses: names, numbers, string literals (every quote style, prefixes, escapes), punctuation and operators, the
 * end of each logical line, and a logical line that starts indented ({@link Kind#INDENT}). Comments are dropped; new
 * lines inside brackets, and lines ended by a backslash, continue the logical line.
 */
public final class PyTokens {

    /** What a token is. */
    public enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, END, INDENT }

    /**
     * One token.
     *
     * @param text   the token as written (for strings, with quotes and prefix)
     * @param value  the decoded value of a NUMBER (Integer, Long, BigInteger or BigDecimal) or STRING (String); for
     *               END, the innermost bracket left open (a Token) or null; else null
     * @param prefix a STRING's prefix letters in lower case ({@code ""}, {@code "r"}, {@code "f"}, {@code "b"}, ...)
     * @param line   1-based line of its first character
     * @param column 1-based column of its first character
     */
    public record Token(Kind kind, String text, Object value, String prefix, int line, int column) {

        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }

        boolean isOp(String t) {
            return is(Kind.OP, t);
        }
    }

    private static final String[] OPERATORS = {
        "**=", "//=", ">>=", "<<=", "...", "->", ":=",
        "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
        "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "+", "-", "*", "/", "%", "@", "<", ">", "&", "|",
        "^", "~", "!",
    };

    private final String src;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    /** The brackets open at {@code pos}, innermost first: new lines inside them continue the logical line. */
    private final Deque<Token> open = new ArrayDeque<>();

    private PyTokens(String src) {
        // Python reads \r\n and \r as \n, in strings too
        String text = src.startsWith("\uFEFF") ? src.substring(1) : src;
        this.src = text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /**
     * The tokens of {@code src}, ending with one {@link Kind#END}.
     *
     * @throws PySyntaxError at the first character that starts no token, a string left open, a bad number, or a
     *                       closing bracket that matches no open one
     */
    public static List<Token> of(String src) {
        PyTokens t = new PyTokens(src);
        t.run();
        return t.out;
    }

    private void run() {
        boolean lineBegins = true;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (lineBegins && open.isEmpty() && (c == ' ' || c == '\t') && !blankRest()) {
                out.add(new Token(Kind.INDENT, "", null, "", line, column()));
            }
            lineBegins = false;
            if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '\n') {
                if (open.isEmpty() && !out.isEmpty() && last().kind() != Kind.NEWLINE) {
                    out.add(new Token(Kind.NEWLINE, "\n", null, "", line, column()));
                }
                newLine(pos + 1);
                lineBegins = true;
            } else if (c == '\\') {
                continuation();
            } else if (startsNumber(c)) {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                nameOrString();
            } else if (c == '\'' || c == '"') {
                string("", pos);
            } else {
                operator();
            }
        }
        if (!out.isEmpty() && last().kind() != Kind.NEWLINE && open.isEmpty()) {
            out.add(new Token(Kind.NEWLINE, "", null, "", line, column()));
        }
        // a bracket left open is told by the parser when it reaches the end, after any error written before it
        out.add(new Token(Kind.END, "", open.peek(), "", line, column()));
    }

    private boolean startsNumber(char c) {
        return Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1));
    }

    /** True when the rest of this line holds only blanks or a comment (an indented comment is no statement). */
    private boolean blankRest() {
        int p = pos;
        while (p < src.length() && " \t\f".indexOf(src.charAt(p)) >= 0) {
            p++;
        }
        return p >= src.length() || src.charAt(p) == '\n' || src.charAt(p) == '#';
    }

    private void continuation() {
        int p = pos + 1;
        if (p < src.length() && src.charAt(p) == '\r') {
            p++;
        }
        if (p >= src.length() || src.charAt(p) != '\n') {
            throw error("a backslash outside a string must end its line");
        }
        newLine(p + 1);
    }

    private void newLine(int next) {
        pos = next;
        line++;
        lineStart = next;
    }

    private void nameOrString() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')
                && word.length() <= 2 && word.toLowerCase(Locale.ROOT).matches("[rubf]|rb|br|fr|rf")) {
            string(word.toLowerCase(Locale.ROOT), start);
            return;
        }
        out.add(new Token(Kind.NAME, word, null, "", line, start - lineStart + 1));
    }

    private void string(String prefix, int start) {
        int startLine = line;
        int startColumn = start - lineStart + 1;
        char quote = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        boolean raw = prefix.contains("r");
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new PySyntaxError(startLine, startColumn, "this string is never closed");
            }
            char c = src.charAt(pos);
            if (c == quote && (!triple || src.startsWith(String.valueOf(quote).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                break;
            }
            if (c == '\n') {
                if (!triple) {
                    throw new PySyntaxError(startLine, startColumn, "this string is never closed on its line "
                            + "(a string over several lines needs triple quotes)");
                }
                value.append('\n');
                newLine(pos + 1);
            } else if (c == '\\') {
                escape(value, raw);
            } else {
                value.append(c);
                pos++;
            }
        }
        out.add(new Token(Kind.STRING, src.substring(start, pos), value.toString(), prefix, startLine, startColumn));
    }

    /** Decodes the escape at {@code pos} (a backslash) into {@code value}, as Python does. */
    private void escape(StringBuilder value, boolean raw) {
        if (pos + 1 >= src.length()) {
            pos++;
            return;
        }
        char n = src.charAt(pos + 1);
        if (n == '\n') {
            if (raw) {
                value.append("\\\n");
            }
            newLine(pos + 2);
            return;
        }
        if (raw) {
            value.append('\\').append(n);
            pos += 2;
            return;
        }
        pos += 2;
        switch (n) {
            case '\\', '\'', '"' -> value.append(n);
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'v' -> value.append('\u000B');
            case 'x' -> value.appendCodePoint(hex(2));
            case 'u' -> value.appendCodePoint(hex(4));
            case 'U' -> value.appendCodePoint(hex(8));
            case 'N' -> throw error("\\N{...} escapes are not read in a Python config; write the character itself");
            default -> {
                if (n >= '0' && n <= '7') {
                    int code = n - '0';
                    for (int i = 0; i < 2 && pos < src.length() && "01234567".indexOf(src.charAt(pos)) >= 0; i++) {
                        code = code * 8 + (src.charAt(pos++) - '0');
                    }
                    value.append((char) code);
                } else {
                    value.append('\\').append(n); // Python keeps an unknown escape as written
                }
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > src.length() || !src.substring(pos, pos + digits).matches("[0-9a-fA-F]+")) {
            throw error("a \\x, \\u or \\U escape needs " + digits + " hexadecimal digits");
        }
        int code = Integer.parseUnsignedInt(src.substring(pos, pos + digits), 16);
        if (!Character.isValidCodePoint(code)) {
            throw error("the escape names no character");
        }
        pos += digits;
        return code;
    }

    private void number() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                || src.charAt(pos) == '.'
                || ((src.charAt(pos) == '+' || src.charAt(pos) == '-') && "eE".indexOf(src.charAt(pos - 1)) >= 0
                    && !src.substring(start, pos).toLowerCase(Locale.ROOT).startsWith("0x")))) {
            pos++;
        }
        String text = src.substring(start, pos);
        out.add(new Token(Kind.NUMBER, text, numberValue(text, start), "", line, start - lineStart + 1));
    }

    private Object numberValue(String text, int start) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("_") || text.endsWith("_") || text.contains("__")) {
                throw new NumberFormatException();
            }
            if (t.matches("0[xob][0-9a-f]+")) {
                int radix = t.charAt(1) == 'x' ? 16 : t.charAt(1) == 'o' ? 8 : 2;
                return whole(new BigInteger(t.substring(2), radix));
            }
            if (t.matches("[0-9]+")) {
                if (t.length() > 1 && t.startsWith("0") && !t.matches("0+")) {
                    throw new PySyntaxError(line, start - lineStart + 1, "'" + text + "': a number may not start "
                            + "with 0 (Python reads no octal numbers this way; write 0o"
                            + t.replaceFirst("^0+", "") + ")");
                }
                return whole(new BigInteger(t));
            }
            if (t.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                return new BigDecimal(t.endsWith(".") ? t + "0" : t.startsWith(".") ? "0" + t : t);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PySyntaxError(line, start - lineStart + 1, "'" + text + "' is not a number a config can hold");
    }

    private static Number whole(BigInteger n) {
        if (n.bitLength() < 32) {
            return n.intValue();
        }
        return n.bitLength() < 64 ? (Number) n.longValue() : n;
    }

    private void operator() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                out.add(new Token(Kind.OP, op, null, "", line, column()));
                pos += op.length();
                bracket(op);
                return;
            }
        }
        throw error("unexpected character '" + src.charAt(pos) + "'");
    }

    private void bracket(String op) {
        if ("([{".contains(op)) {
            open.push(last());
        } else if (")]}".contains(op)) {
            Token close = last();
            if (open.isEmpty()) {
                throw new PySyntaxError(close.line(), close.column(), "'" + op + "' closes nothing that is open");
            }
            Token opened = open.pop();
            String expected = opened.text().equals("(") ? ")" : opened.text().equals("[") ? "]" : "}";
            if (!expected.equals(op)) {
                throw new PySyntaxError(close.line(), close.column(), "'" + op + "' does not close '" + opened.text()
                        + "' of line " + opened.line() + " (expected '" + expected
                        + "'; a comma or a bracket may be missing)");
            }
        }
    }

    private Token last() {
        return out.get(out.size() - 1);
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private PySyntaxError error(String message) {
        return new PySyntaxError(line, column(), message);
    }
}
