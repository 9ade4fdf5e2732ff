package katapult.dsl.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import katapult.dsl.python.PyTokens.Kind;
import katapult.dsl.python.PyTokens.Token;

/**
 * Reads the statements of a Python config: {@code config = <literal>} and, around it, comments and string
 * statements (docstrings). The literal is Python's literal syntax ({@code ast.literal_eval}'s, without sets, bytes
 * and complex numbers): dicts, lists, tuples, strings, numbers with an optional sign, True, False and None. Whatever
 * else Python would compute (a call, a name, an operator, a comprehension, an import, a statement) is refused at its
 * line, as only literals can be read without running Python.
 */
public final class PyParser {

    /** The config's literal and the line of its {@code config =}. */
    public record Assignment(PyLiteral value, int line) {
    }

    static final String GROOVY_HINT = "a Python config is read, not run: it holds only literal dicts, lists, strings, "
            + "numbers, True, False and None. To compute values, write the config in the Groovy map form "
            + "(config = [ key: value ] in a .groovy file), where code is allowed";

    private static final Set<String> STATEMENTS = Set.of("def", "class", "if", "elif", "else", "for", "while", "with",
            "try", "except", "finally", "return", "del", "pass", "global", "nonlocal", "assert", "raise",
            "async", "await", "match", "yield", "break", "continue");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "for", "lambda");

    private final List<Token> tokens;
    private int i;

    private PyParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * The {@code config = ...} of a Python file.
     *
     * @return the assignment, or null when the file has none
     * @throws PySyntaxError at the first thing that is not a literal config
     */
    public static Assignment parse(String source) {
        return new PyParser(PyTokens.of(source)).module();
    }

    private Assignment module() {
        Assignment found = null;
        while (peek().kind() != Kind.END) {
            Token first = peek();
            if (first.kind() == Kind.NEWLINE || first.isOp(";")) {
                i++;
                continue;
            }
            if (first.kind() == Kind.STRING) {
                literal(); // a docstring: a statement that is only a string does nothing
                endOfStatement();
                continue;
            }
            Assignment a = statement(first);
            if (found != null) {
                throw new PySyntaxError(a.line(), 1, "config is assigned a second time (first at line " + found.line()
                        + "); write it once");
            }
            found = a;
        }
        return found;
    }

    private Assignment statement(Token first) {
        if (first.kind() == Kind.INDENT) {
            throw new PySyntaxError(first.line(), first.column(), "unexpected indent: a top-level line of a Python "
                    + "config starts at its first column");
        }
        if (first.kind() == Kind.NAME && (first.text().equals("import") || first.text().equals("from"))) {
            throw refuse(first, "an import");
        }
        if (first.kind() == Kind.NAME && STATEMENTS.contains(first.text())) {
            throw refuse(first, "a Python '" + first.text() + "' statement");
        }
        if (first.kind() != Kind.NAME) {
            throw refuse(first, "'" + first.text() + "' at the start of a line");
        }
        Token eq = unclosed(tokens.get(i + 1));
        if (!first.text().equals("config")) {
            throw refuse(first, eq.isOp("=") ? "the variable '" + first.text() + "' (only config = { ... } is read)"
                    : eq.isOp("(") ? "a call of " + first.text() + "()"
                    : "'" + first.text() + "' outside config = { ... }");
        }
        if (!eq.isOp("=")) {
            throw refuse(eq, eq.kind() == Kind.NEWLINE ? "'config' alone" : "changing config with '" + eq.text() + "'");
        }
        i += 2;
        PyLiteral value = literal();
        if (peek().isOp("=")) {
            throw refuse(peek(), "a chained assignment");
        }
        endOfStatement();
        return new Assignment(value, first.line());
    }

    private void endOfStatement() {
        Token t = peek();
        if (t.kind() == Kind.NEWLINE || t.kind() == Kind.END || t.isOp(";")) {
            i++;
            return;
        }
        throw operand(t);
    }

    /** One literal, and nothing Python would compute from it. */
    private PyLiteral literal() {
        PyLiteral value = atom();
        Token next = peek();
        if (next.isOp("(")) {
            throw refuse(next, "a call");
        }
        if (next.isOp("[")) {
            throw refuse(next, "an index or slice ('[' after a value)");
        }
        if (next.isOp(".")) {
            throw refuse(next, "an attribute or method ('.' after a value)");
        }
        return value;
    }

    private PyLiteral atom() {
        Token t = next();
        return switch (t.kind()) {
            case STRING -> string(t);
            case NUMBER -> new PyLiteral.Scalar(t.value(), t.line(), t.column());
            case NAME -> name(t);
            case OP -> switch (t.text()) {
                case "{" -> dict(t);
                case "[" -> list(t, "]");
                case "(" -> parenthesised(t);
                case "-", "+" -> signed(t);
                case "..." -> throw refuse(t, "'...' (Ellipsis)");
                case "*", "**" -> throw refuse(t, "unpacking with '" + t.text() + "'");
                default -> throw new PySyntaxError(t.line(), t.column(),
                        "a value was expected here, found '" + t.text() + "'");
            };
            case NEWLINE, END, INDENT -> throw new PySyntaxError(t.line(), t.column(),
                    "a value was expected at the end of this line");
        };
    }

    private PyLiteral string(Token first) {
        StringBuilder value = new StringBuilder();
        Token t = first;
        while (true) {
            if (t.prefix().contains("f")) {
                throw refuse(t, "an f-string");
            }
            if (t.prefix().contains("b")) {
                throw refuse(t, "a bytes literal");
            }
            value.append((String) t.value());
            if (peek().kind() != Kind.STRING) {
                return new PyLiteral.Scalar(value.toString(), first.line(), first.column());
            }
            t = next(); // adjacent string literals are one string, as in Python
        }
    }

    private PyLiteral name(Token t) {
        return switch (t.text()) {
            case "True" -> new PyLiteral.Scalar(Boolean.TRUE, t.line(), t.column());
            case "False" -> new PyLiteral.Scalar(Boolean.FALSE, t.line(), t.column());
            case "None" -> new PyLiteral.Scalar(null, t.line(), t.column());
            case "true", "false", "null", "none" -> throw new PySyntaxError(t.line(), t.column(), "'" + t.text()
                    + "' is no Python value: write " + switch (t.text()) {
                        case "true" -> "True";
                        case "false" -> "False";
                        default -> "None";
                    });
            default -> throw KEYWORDS.contains(t.text()) ? refuse(t, "the operator '" + t.text() + "'")
                    : peek().isOp("(") ? refuse(t, "a call of " + t.text() + "()" + durationHint(t))
                    : peek().isOp(".") ? refuse(t, "the name '" + t.text() + "' (a module or variable)"
                            + durationHint(t))
                    : refuse(t, "the name '" + t.text() + "' (a variable; a string needs quotes)");
        };
    }

    /** Durations are the one value the seeds compute ({@code datetime.timedelta}); a string says them here. */
    private static String durationHint(Token t) {
        return t.text().equals("timedelta") || t.text().equals("datetime")
                ? " (a duration is a string here, such as '2h' or '90m')" : "";
    }

    private PyLiteral signed(Token sign) {
        Token n = peek();
        if (n.kind() != Kind.NUMBER) {
            throw refuse(sign, "the operator '" + sign.text() + "' on a value that is not a number");
        }
        i++;
        Object v = n.value();
        if (sign.text().equals("-")) {
            v = v instanceof Integer x && x != Integer.MIN_VALUE ? (Object) (-x)
                    : v instanceof Long x && x != Long.MIN_VALUE ? (Object) (-x)
                    : v instanceof java.math.BigDecimal d ? d.negate()
                    : new java.math.BigInteger(String.valueOf(v)).negate();
        }
        return new PyLiteral.Scalar(v, sign.line(), sign.column());
    }

    private PyLiteral dict(Token open) {
        List<PyLiteral.Entry> entries = new ArrayList<>();
        while (!peek().isOp("}")) {
            PyLiteral key = literal();
            Token colon = next();
            if (!colon.isOp(":")) {
                if (colon.isOp(",") || colon.isOp("}")) {
                    throw refuse(open, "a set ({ a, b } without 'key: value')");
                }
                throw colon.is(Kind.NAME, "for") ? refuse(colon, "a comprehension") : operand(colon);
            }
            entries.add(new PyLiteral.Entry(key, literal()));
            if (!separator("}")) {
                break;
            }
        }
        expect("}", open);
        return new PyLiteral.Dict(entries, open.line(), open.column());
    }

    private PyLiteral list(Token open, String close) {
        List<PyLiteral> items = new ArrayList<>();
        while (!peek().isOp(close)) {
            items.add(literal());
            if (!separator(close)) {
                break;
            }
        }
        expect(close, open);
        return new PyLiteral.Sequence(items, open.line(), open.column());
    }

    /** {@code (x)} is x; {@code ()}, {@code (x,)} and {@code (x, y)} are tuples. */
    private PyLiteral parenthesised(Token open) {
        if (peek().isOp(")")) {
            i++;
            return new PyLiteral.Sequence(List.of(), open.line(), open.column());
        }
        PyLiteral first = literal();
        if (peek().isOp(")")) {
            i++;
            return first;
        }
        if (!peek().isOp(",")) {
            throw operand(peek());
        }
        i++;
        List<PyLiteral> items = new ArrayList<>(List.of(first));
        while (!peek().isOp(")")) {
            items.add(literal());
            if (!separator(")")) {
                break;
            }
        }
        expect(")", open);
        return new PyLiteral.Sequence(items, open.line(), open.column());
    }

    /** Reads the comma after an item: true when another item may follow, false at the closing bracket. */
    private boolean separator(String close) {
        Token t = peek();
        if (t.isOp(",")) {
            i++;
            return true;
        }
        if (t.isOp(close)) {
            return false;
        }
        throw t.is(Kind.NAME, "for") ? refuse(t, "a comprehension") : operand(t);
    }

    private void expect(String close, Token open) {
        Token t = next();
        if (!t.isOp(close)) {
            throw new PySyntaxError(t.line(), t.column(), "'" + open.text() + "' of line " + open.line()
                    + " is not closed here: expected '" + close + "', found '" + t.text() + "'");
        }
    }

    /** What follows a complete value where a comma, a colon or a closing bracket belongs. */
    private PySyntaxError operand(Token t) {
        if (t.kind() == Kind.OP && !t.text().matches("[)\\]},:;]")) {
            return refuse(t, "the operator '" + t.text() + "'");
        }
        if (t.kind() == Kind.NAME && KEYWORDS.contains(t.text())) {
            String what = t.text().equals("if") ? "a conditional expression" : "an operator";
            return refuse(t, "'" + t.text() + "' (" + what + ")");
        }
        return new PySyntaxError(t.line(), t.column(), "'" + t.text().replace("\n", "\\n") + "' follows a value "
                + "here: a comma may be missing");
    }

    private PySyntaxError refuse(Token t, String what) {
        return new PySyntaxError(t.line(), t.column(), what + " is not a literal value; " + GROOVY_HINT);
    }

    private Token peek() {
        return unclosed(tokens.get(i));
    }

    private Token next() {
        return unclosed(tokens.get(i++));
    }

    /** The token, unless it is the end of a file with a bracket still open, which is an error at that bracket. */
    private static Token unclosed(Token t) {
        if (t.kind() == Kind.END && t.value() instanceof Token open) {
            throw new PySyntaxError(open.line(), open.column(), "'" + open.text() + "' is never closed");
        }
        return t;
    }
}
