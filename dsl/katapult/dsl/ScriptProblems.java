package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import katapult.config.Problem;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * What went wrong in a config script, as problems a user can act on: compiler errors with their line and hints,
 * and failures while the script ran placed at the line of the script's innermost frame, without exception names.
 */
final class ScriptProblems {

    private ScriptProblems() {
    }

    static List<Problem> compileProblems(MultipleCompilationErrorsException e, String file, String text) {
        List<Problem> out = new ArrayList<>();
        boolean first = true;
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage sm && sm.getCause() instanceof ExitCalls.Refused refused) {
                out.add(new Problem(file, Math.max(1, refused.getLine()), refused.getOriginalMessage()));
            } else if (m instanceof SyntaxErrorMessage sm) {
                SyntaxException se = sm.getCause();
                String message = clean(se.getOriginalMessage());
                String hints = first ? SyntaxHints.hints(text, se.getLine(), se.getStartColumn(), message) : "";
                first = false;
                String column = se.getStartColumn() > 0 ? " at column " + se.getStartColumn() : "";
                SyntaxHints.Imbalance imbalance = out.isEmpty() ? SyntaxHints.balance(text) : null;
                if (imbalance != null) {
                    out.add(new Problem(file, imbalance.line(), "syntax error: " + imbalance.message()
                            + " (the compiler stopped at line " + se.getLine()
                            + (se.getStartColumn() > 0 ? ", column " + se.getStartColumn() : "") + ": " + message + ")"
                            + hints));
                } else {
                    out.add(new Problem(file, Math.max(1, se.getLine()), "syntax error" + column + ": " + message + hints));
                }
            } else if (m instanceof ExceptionMessage em) {
                out.add(new Problem(file, 1, clean(firstLine(String.valueOf(em.getCause().getMessage())))));
            } else if (m instanceof SimpleMessage simple) {
                out.add(new Problem(file, 1, clean(firstLine(simple.getMessage()))));
            }
        }
        if (out.isEmpty()) {
            out.add(new Problem(file, 1, clean(firstLine(e.getMessage()))));
        }
        return out;
    }

    static Problem runtimeProblem(Throwable thrown, DslContext ctx, ScriptAst ast) {
        Throwable t = thrown;
        while ((t instanceof InvokerInvocationException || t instanceof ExceptionInInitializerError)
                && t.getCause() != null) {
            t = t.getCause();
        }
        int line = scriptLine(t, ctx.scriptName);
        String message;
        if (t instanceof MissingPropertyException mpe && mpe.getProperty() != null) {
            String p = mpe.getProperty();
            line = ast.refine(line, p, false);
            message = switch (p) {
                case "None" -> "'None' is Python; Groovy writes null";
                case "True" -> "'True' is Python; Groovy writes true";
                case "False" -> "'False' is Python; Groovy writes false";
                default -> "unknown name '" + p + "': not a key here, nor a variable set before this line"
                        + " (is a string missing its quotes?)";
            };
        } else if (t instanceof MissingMethodException mme && mme.getMethod() != null) {
            line = ast.refine(line, mme.getMethod(), true);
            List<String> types = new ArrayList<>();
            if (mme.getArguments() != null) {
                for (Object a : mme.getArguments()) {
                    types.add(a == null ? "null" : shortType(a));
                }
            }
            String on = mme.getType() == null || Script.class.isAssignableFrom(mme.getType())
                    || Closure.class.isAssignableFrom(mme.getType()) ? "" : " on " + mme.getType().getSimpleName();
            message = "no method " + mme.getMethod() + "(" + String.join(", ", types) + ")" + on;
        } else if (t instanceof StackOverflowError) {
            message = "the config script never ends: it calls itself without end (stack overflow)";
        } else {
            String what = humanize(t.getClass().getSimpleName());
            String detail = t.getMessage() == null ? "" : firstLine(t.getMessage());
            message = "the config script failed (" + what + ")" + (detail.isBlank() ? "" : ": " + detail);
        }
        return new Problem(ctx.file, Math.max(1, line), clean(message));
    }

    static int scriptLine(Throwable t, String scriptName) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            int line = lineOf(c.getStackTrace(), scriptName);
            if (line > 0) {
                return line;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return 0;
    }

    /** The line of the innermost frame of the script, 0 when there is none. */
    static int lineOf(StackTraceElement[] frames, String scriptName) {
        for (StackTraceElement f : frames) {
            if (scriptName.equals(f.getFileName()) && f.getLineNumber() > 0) {
                return f.getLineNumber();
            }
        }
        return 0;
    }

    /** "NullPointerException" → "null pointer". */
    static String humanize(String simpleName) {
        String s = simpleName.replaceAll("(Exception|Error)$", "");
        if (s.isEmpty()) {
            return "error";
        }
        return s.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static final Pattern QUALIFIED_THROWABLE =
            Pattern.compile("(?:[a-zA-Z_$][\\w$]*\\.)*([A-Z][\\w$]*?)(Exception|Error)\\b:?\\s*");

    /** A message fit for a user: one line, no stack frames, no class names of exceptions. */
    static String clean(String message) {
        String s = firstLine(message == null ? "" : message).trim();
        Matcher m = QUALIFIED_THROWABLE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(humanize(m.group(1)) + " error: "));
        }
        m.appendTail(b);
        s = b.toString().replace("Exception", "error").replaceAll(":\\s*$", "");
        s = s.replaceFirst("^Unexpected (input|character): ", "unexpected $1 ");
        if (!s.isEmpty() && Character.isUpperCase(s.charAt(0)) && (s.length() < 2 || Character.isLowerCase(s.charAt(1)))) {
            s = Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).replace("\t", " ").trim();
    }

    static String shortType(Object o) {
        if (o instanceof CharSequence) {
            return "String";
        }
        if (o instanceof Closure) {
            return "Closure";
        }
        return o.getClass().getSimpleName();
    }
}
