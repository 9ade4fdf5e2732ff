package katapult.dsl;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import katapult.config.Config;
import katapult.config.ConfigBinder;
import katapult.config.ConfigException;
import katapult.config.ConfigForm;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.Durations;
import katapult.config.KeptNames;
import katapult.config.Located;
import katapult.config.Problem;
import katapult.config.RawMap;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Reads a config file, in either form, into a validated {@link Config}.
 *
 * <p>The file is a Groovy script compiled with {@link KatapultScript} as its base class and its own
 * file name as the script name, so every stack frame of the script carries its lines. The block form
 * ({@code katapult { ... }}) records each key with the line of the call; the map form
 * ({@code config = [...]}) takes its lines from the map literal's syntax tree. Either way the same
 * {@link ConfigBinder} validates the result. Every problem is reported at once, each with its line,
 * in a {@link ConfigException}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads a whole config.
     *
     * @throws ConfigException carrying every problem found (syntax, running the script, keys, values,
     *                         files, names), each placed at its line; {@link Problem#file()} is
     *                         {@code file.toString()}
     */
    public static Config load(Path file) {
        return read(file, null, KeptNames.NONE, timeLimit(System.getenv()));
    }

    /** {@link #load(Path)} for a project that already gave the default job names {@code kept}: they stay. */
    public static Config load(Path file, KeptNames kept) {
        return read(file, null, kept, timeLimit(System.getenv()));
    }

    /** {@link #load(Path)} with the script given at most {@code timeLimit} to run. */
    static Config load(Path file, Duration timeLimit) {
        return read(file, null, KeptNames.NONE, timeLimit);
    }

    /**
     * Loads a file that adds to {@code base} ({@code katapult add FILE}): it may hold jobs,
     * environments and instances, and global keys that replace base's. Names resolve against base and
     * addition together and must be unique across both; unnamed instances go on counting after base's.
     *
     * @return the merged config: base's instances, environments and jobs followed by the new ones
     * @throws ConfigException carrying every problem of the addition
     */
    public static Config loadAddition(Path file, Config base) {
        return read(file, base, KeptNames.NONE, timeLimit(System.getenv()));
    }

    /** {@link #loadAddition(Path, Config)} for a project that already gave the default job names {@code kept}. */
    public static Config loadAddition(Path file, Config base, KeptNames kept) {
        return read(file, base, kept, timeLimit(System.getenv()));
    }

    /**
     * How long a config script may run: {@value #TIME_LIMIT_VARIABLE} ({@code 45s}, {@code 2m}, or seconds), else
     * 30 s. A config is a program, and one that never ends must not hang {@code check} or {@code run}.
     *
     * @throws ConfigException when the variable holds no duration
     */
    static Duration timeLimit(Map<String, String> environment) {
        String text = environment.get(TIME_LIMIT_VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT_TIME_LIMIT;
        }
        Duration d = text.trim().matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(text.trim()))
                : Durations.parse(text);
        if (d == null || d.isZero()) {
            throw new ConfigException(List.of(new Problem("the environment", 0, TIME_LIMIT_VARIABLE
                    + " must be a duration such as '30s' or '2m', got '" + text + "'")));
        }
        return d;
    }

    static final String TIME_LIMIT_VARIABLE = "KATAPULT_CONFIG_TIMEOUT";
    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    private static Config read(Path file, Config base, KeptNames kept, Duration timeLimit) {
        String display = file.toString();
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw fail(display, "is a folder, not a config file");
        }
        if (!Files.exists(abs)) {
            throw fail(display, "no such config file (looked for " + abs + ")");
        }
        String text;
        try {
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw fail(display, "cannot be read: it is not UTF-8 text");
        } catch (IOException e) {
            throw fail(display, "cannot be read: " + e.getMessage());
        }

        String scriptName = abs.getFileName().toString();
        DslContext ctx = new DslContext(scriptName, display);
        ScriptAst ast = new ScriptAst();
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(KatapultScript.class.getName());
        cc.setSourceEncoding("UTF-8");
        // ThreadInterrupt makes every loop and closure of the script stop when the time limit interrupts it
        cc.addCompilationCustomizers(new ImportCustomizer().addImports("java.time.Duration"), ast, new ExitCalls(),
                new ASTTransformationCustomizer(ThreadInterrupt.class));
        GroovyShell shell = new GroovyShell(ConfigLoader.class.getClassLoader(), new Binding(), cc);

        Script script;
        try {
            script = shell.parse(new GroovyCodeSource(text, scriptName, "/groovy/katapult"));
        } catch (MultipleCompilationErrorsException e) {
            throw new ConfigException(compileProblems(e, display, text));
        } catch (CompilationFailedException e) {
            throw fail(display, clean(firstLine(e.getMessage())));
        }
        KatapultScript.attach((KatapultScript) script, ctx);
        runTimed(script, ctx, ast, timeLimit);

        Binding binding = script.getBinding();
        boolean mapForm = binding.hasVariable("config");
        boolean blockForm = ctx.katapultLine > 0;
        ConfigForm form = blockForm ? ConfigForm.BLOCK : ConfigForm.MAP;
        if (mapForm && blockForm) {
            int configLine = Math.max(1, ast.configLine);
            ctx.problem(Math.max(configLine, ctx.katapultLine), "this file uses both forms, katapult { } (line "
                    + ctx.katapultLine + ") and config = [ ] (line " + configLine + "); keep one of them");
            throw new ConfigException(sorted(ctx.problems));
        }
        strays(binding, ast, ctx, form, mapForm || blockForm);
        if (!mapForm && !blockForm) {
            if (!ctx.problems.isEmpty()) {
                throw new ConfigException(sorted(ctx.problems));
            }
            ctx.problem(1, "this file holds no configuration: write katapult { ... } (block form) or "
                    + "config = [ ... ] (map form)");
            throw new ConfigException(sorted(ctx.problems));
        }

        RawMap root;
        if (blockForm) {
            root = ctx.root;
        } else {
            Object config = binding.getVariable("config");
            int line = Math.max(1, ast.configLine);
            if (!(config instanceof Map<?, ?> map)) {
                ctx.problem(line, config instanceof Closure
                        ? "config = { ... } makes a closure; the map form is written with square brackets: "
                          + "config = [ project: 'x', jobs: [ ... ] ]"
                        : "config must be a map: config = [ key: value, ... ], got " + shown(config));
                throw new ConfigException(sorted(ctx.problems));
            }
            for (Map.Entry<Integer, String> d : ast.duplicates) {
                ctx.problem(d.getKey(), d.getValue());
            }
            root = toRaw(map, "", ast);
        }
        return base == null
                ? ConfigBinder.bind(root, abs, display, form, ctx.problems, kept)
                : ConfigBinder.bindAddition(root, abs, display, form, base, ctx.problems, kept);
    }

    /**
     * Runs the script in a thread of its own, so that one that runs past the time limit can be interrupted and, if it
     * does not stop, abandoned (the thread is a daemon); what the script threw, out of memory included, becomes one
     * problem at its line.
     */
    private static void runTimed(Script script, DslContext ctx, ScriptAst ast, Duration limit) {
        FutureTask<Void> task = new FutureTask<>(script::run, null);
        Thread thread = new Thread(task, "katapult-config " + ctx.scriptName);
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            int line = lineOf(thread.getStackTrace(), ctx.scriptName);
            thread.interrupt();
            String shown = limit.toMillis() < 1000 ? limit.toMillis() + "ms" : Durations.format(limit);
            throw new ConfigException(List.of(new Problem(ctx.file, Math.max(1, line), "the config script ran longer "
                    + "than " + shown + " and was stopped; it may run at most " + shown + " (raise the limit with "
                    + TIME_LIMIT_VARIABLE + ", e.g. " + TIME_LIMIT_VARIABLE + "=2m)")));
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw fail(ctx.file, "interrupted while the config script ran");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof OutOfMemoryError oom) {
                script.setBinding(new Binding()); // let go of what the script filled the memory with
                int line = scriptLine(oom, ctx.scriptName);
                throw new ConfigException(List.of(new Problem(ctx.file, Math.max(1, line),
                        "the config script ran out of memory" + (oom.getMessage() == null ? "" : " (" + oom.getMessage()
                        + ")") + ": a config builds the configuration; let the jobs compute the data")));
            }
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            ctx.problems.add(runtimeProblem(t, ctx, ast));
            throw new ConfigException(sorted(ctx.problems));
        }
    }

    // ------------------------------------------------------------------------------------------ map form

    private static RawMap toRaw(Map<?, ?> map, String path, ScriptAst ast) {
        RawMap out = new RawMap(ast.line(path));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String p = path.isEmpty() ? key : path + "." + key;
            int line = ast.line(p);
            out.put(key, new Located(value(e.getValue(), p, ast), line));
        }
        return out;
    }

    private static Object value(Object v, String path, ScriptAst ast) {
        if (v instanceof Map<?, ?> m) {
            return toRaw(m, path, ast);
        }
        if (v instanceof Collection<?> c) {
            List<Located> items = new ArrayList<>();
            int i = 0;
            for (Object item : c) {
                String p = path + "[" + i++ + "]";
                items.add(new Located(value(item, p, ast), ast.line(p)));
            }
            return items;
        }
        if (v instanceof Object[] a) {
            return value(List.of(a), path, ast);
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        return v;
    }

    /** Keys of the config assigned outside the configuration and never read, where they do nothing. */
    private static void strays(Binding binding, ScriptAst ast, DslContext ctx, ConfigForm form, boolean anyForm) {
        for (Object name : binding.getVariables().keySet()) {
            String n = String.valueOf(name);
            if (n.equals("config") || n.equals("args") || !ast.variables.getOrDefault(n, List.of()).isEmpty()) {
                continue; // the configuration itself, or a variable the script reads
            }
            for (ConfigForm f : ConfigForm.values()) {
                if (ConfigKeys.findSpelled(Block.CONFIG, n, f).isPresent()) {
                    int line = Math.max(1, ast.assignments.getOrDefault(n, 1));
                    String inside = !anyForm ? "inside katapult { } or config = [ ]"
                            : form == ConfigForm.BLOCK ? "inside the katapult { } block" : "as a key of config = [ ]";
                    ctx.problem(line, "'" + n + "' is set outside the configuration, where it has no effect; "
                            + "write it " + inside);
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- errors

    private static ConfigException fail(String file, String message) {
        return new ConfigException(List.of(new Problem(file, 0, message)));
    }

    private static List<Problem> compileProblems(MultipleCompilationErrorsException e, String file, String text) {
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

    private static Problem runtimeProblem(Throwable thrown, DslContext ctx, ScriptAst ast) {
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

    private static int scriptLine(Throwable t, String scriptName) {
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
    private static int lineOf(StackTraceElement[] frames, String scriptName) {
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).replace("\t", " ").trim();
    }

    private static String shortType(Object o) {
        if (o instanceof CharSequence) {
            return "String";
        }
        if (o instanceof Closure) {
            return "Closure";
        }
        return o.getClass().getSimpleName();
    }

    private static String shown(Object o) {
        return o == null ? "null" : o instanceof CharSequence cs ? "'" + cs + "' (String)" : o + " (" + shortType(o) + ")";
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(new LinkedHashSet<>(problems));
        out.sort(Comparator.comparingInt(Problem::line));
        return out;
    }
}
