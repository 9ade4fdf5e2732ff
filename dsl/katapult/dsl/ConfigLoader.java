package katapult.dsl;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import katapult.config.Config;
import katapult.config.ConfigBinder;
import katapult.config.ConfigException;
import katapult.config.ConfigForm;
import katapult.config.Durations;
import katapult.config.KeptNames;
import katapult.config.Problem;
import katapult.config.RawMap;
import katapult.dsl.python.PythonConfig;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * Reads a config file, in either form, into a validated {@link Config}.
 *
 * <p>The file is a Groovy script compiled with {@link KatapultScript} as its base class and its own
 * file name as the script name, so every stack frame of the script carries its lines. The block form
 * ({@code katapult { ... }}) records each key with the line of the call; the map form
 * ({@code config = [...]}) takes its lines from the map literal's syntax tree. Either way the same
 * {@link ConfigBinder} validates the result. Every problem is reported at once, each with its line,
 * in a {@link ConfigException}. A {@code .py} file is read as a Python config ({@link PythonConfig}), not run,
 * and bound as the map form.
 *
 * <p>A script judged pure ({@link PureScript}: its result a function of its text) has its raw tree kept in a
 * {@link ConfigCache}; a later load of the same text binds that tree without compiling or running anything.
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
        return read(file, null, KeptNames.NONE, timeLimit(System.getenv()), ConfigCache.of(System.getenv()));
    }

    /** {@link #load(Path)} for a project that already gave the default job names {@code kept}: they stay. */
    public static Config load(Path file, KeptNames kept) {
        return read(file, null, kept, timeLimit(System.getenv()), ConfigCache.of(System.getenv()));
    }

    /** {@link #load(Path)} with the script given at most {@code timeLimit} to run, and nothing cached. */
    static Config load(Path file, Duration timeLimit) {
        return read(file, null, KeptNames.NONE, timeLimit, ConfigCache.of(Map.of(ConfigCache.VARIABLE, "off")));
    }

    /** {@link #load(Path)} with what pure scripts recorded kept in {@code cache}. */
    static Config load(Path file, ConfigCache cache) {
        return read(file, null, KeptNames.NONE, timeLimit(System.getenv()), cache);
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
        return read(file, base, KeptNames.NONE, timeLimit(System.getenv()), ConfigCache.of(System.getenv()));
    }

    /** {@link #loadAddition(Path, Config)} for a project that already gave the default job names {@code kept}. */
    public static Config loadAddition(Path file, Config base, KeptNames kept) {
        return read(file, base, kept, timeLimit(System.getenv()), ConfigCache.of(System.getenv()));
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

    private static Config read(Path file, Config base, KeptNames kept, Duration timeLimit, ConfigCache cache) {
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
        if (PythonConfig.isPython(abs)) {
            List<Problem> problems = new ArrayList<>();
            return bind(PythonConfig.read(text, display, problems), abs, display, ConfigForm.MAP, problems, base, kept);
        }

        Optional<RawCodec.Decoded> recorded = cache.find(text);
        if (recorded.isPresent()) {
            return bind(recorded.get().root(), abs, display, recorded.get().form(), new ArrayList<>(), base, kept);
        }

        String scriptName = abs.getFileName().toString();
        DslContext ctx = new DslContext(scriptName, display);
        ScriptAst ast = new ScriptAst();
        PureScript purity = new PureScript();
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(KatapultScript.class.getName());
        cc.setSourceEncoding("UTF-8");
        // ThreadInterrupt makes every loop and closure of the script stop when the time limit interrupts it
        cc.addCompilationCustomizers(new ImportCustomizer().addImports("java.time.Duration"), ast,
                purity, new ExitCalls(), new ASTTransformationCustomizer(ThreadInterrupt.class));
        GroovyShell shell = new GroovyShell(ConfigLoader.class.getClassLoader(), new Binding(), cc);

        Script script;
        try {
            script = shell.parse(new GroovyCodeSource(text, scriptName, "/groovy/katapult"));
        } catch (MultipleCompilationErrorsException e) {
            throw new ConfigException(ScriptProblems.compileProblems(e, display, text));
        } catch (CompilationFailedException e) {
            throw fail(display, ScriptProblems.clean(ScriptProblems.firstLine(e.getMessage())));
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
        MapForm.strays(binding, ast, ctx, form, mapForm || blockForm);
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
            root = MapForm.toRaw(map, "", ast);
        }
        if (purity.pure() && ctx.problems.isEmpty()) {
            cache.keep(text, form, root);
        }
        return bind(root, abs, display, form, ctx.problems, base, kept);
    }

    private static Config bind(RawMap root, Path abs, String display, ConfigForm form, List<Problem> problems,
                               Config base, KeptNames kept) {
        return base == null
                ? ConfigBinder.bind(root, abs, display, form, problems, kept)
                : ConfigBinder.bindAddition(root, abs, display, form, base, problems, kept);
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
            int line = ScriptProblems.lineOf(thread.getStackTrace(), ctx.scriptName);
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
                int line = ScriptProblems.scriptLine(oom, ctx.scriptName);
                throw new ConfigException(List.of(new Problem(ctx.file, Math.max(1, line),
                        "the config script ran out of memory" + (oom.getMessage() == null ? "" : " (" + oom.getMessage()
                        + ")") + ": a config builds the configuration; let the jobs compute the data")));
            }
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            ctx.problems.add(ScriptProblems.runtimeProblem(t, ctx, ast));
            throw new ConfigException(sorted(ctx.problems));
        }
    }

    // ------------------------------------------------------------------------------------------- errors

    private static ConfigException fail(String file, String message) {
        return new ConfigException(List.of(new Problem(file, 0, message)));
    }

    private static String shown(Object o) {
        return o == null ? "null" : o instanceof CharSequence cs ? "'" + cs + "' (String)" : o + " (" + ScriptProblems.shortType(o) + ")";
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(new LinkedHashSet<>(problems));
        out.sort(Comparator.comparingInt(Problem::line));
        return out;
    }
}
