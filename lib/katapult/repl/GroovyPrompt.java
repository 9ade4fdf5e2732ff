package katapult.repl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import katapult.session.Session;
import katapult.session.SessionException;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;

/**
 * Groovy at the prompt: each line is a script run against one shared binding, where {@code session} is the live
 * session and {@code runs}, {@code jobs}, {@code instances}, {@code environments} and {@code status} are read from
 * it (instances polled once per line). The run states are imported, so {@code ABORTED} works. Variables persist
 * ({@code def x = 1} included), and so do lines that only define methods, classes or imports.
 */
final class GroovyPrompt {

    static final Set<String> LIVE = Set.of("session", "runs", "jobs", "instances", "environments", "status");

    private final LiveBinding binding;
    private final GroovyShell shell;
    private final BindDeclarations declarations = new BindDeclarations();
    private final List<String> definitions = new ArrayList<>();
    private int count;

    GroovyPrompt(Supplier<Session> session, PrintWriter out) {
        this.binding = new LiveBinding(session);
        binding.setVariable("out", out);
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.addCompilationCustomizers(new ImportCustomizer()
                .addStaticStars("katapult.state.RunState")
                .addImports("katapult.Katapult", "katapult.state.RunState", "java.nio.file.Path",
                        "java.nio.file.Files", "java.time.Duration")
                .addStarImports("katapult.session"), declarations);
        this.shell = new GroovyShell(GroovyPrompt.class.getClassLoader(), binding, cc);
    }

    Binding binding() {
        return binding;
    }

    /** Runs a line; returns its value. Throws what the line threw (or a compilation error). */
    Object evaluate(String code) {
        binding.fresh = false;
        String prelude = String.join("\n", definitions);
        String text = prelude.isEmpty() ? code : prelude + "\n" + code;
        declarations.definitionsOnly = false;
        Script script = shell.parse(text, "prompt" + (++count) + ".groovy");
        boolean onlyDefinitions = declarations.definitionsOnly;
        Object value = script.run();
        if (onlyDefinitions && !code.isBlank()) {
            definitions.add(code);
        }
        return value;
    }

    /** An error as one line: a compilation error's first message, or the exception's class and message. */
    static String oneLine(Throwable error, int preludeLines) {
        if (error instanceof MultipleCompilationErrorsException multiple
                && !multiple.getErrorCollector().getErrors().isEmpty()) {
            Message first = multiple.getErrorCollector().getErrors().get(0);
            if (first instanceof SyntaxErrorMessage syntax) {
                String message = syntax.getCause().getOriginalMessage();
                return "syntax error: " + firstLine(message) + " (column " + syntax.getCause().getStartColumn() + ")";
            }
        }
        if (error instanceof CompilationFailedException) {
            return "syntax error: " + firstLine(error.getMessage().replaceFirst("(?s)^startup failed:\\s*", "")
                    .replaceFirst("^prompt\\d+\\.groovy: \\d+: ", ""));
        }
        String message = error.getMessage() == null ? "" : firstLine(error.getMessage())
                .replaceAll(" for class: prompt\\d+(\\.groovy)?", "");
        String name = error instanceof RuntimeException && error.getClass().getName().startsWith("katapult.")
                ? "" : error.getClass().getSimpleName() + ": ";
        return name + message;
    }

    private static String firstLine(String s) {
        int newline = s.indexOf('\n');
        return (newline < 0 ? s : s.substring(0, newline)).strip();
    }

    /** The binding whose live names read the session; a line polls the instances at most once. */
    static final class LiveBinding extends Binding {
        private final Supplier<Session> session;
        volatile boolean fresh;

        LiveBinding(Supplier<Session> session) {
            this.session = session;
        }

        @Override
        public Object getVariable(String name) {
            if (!LIVE.contains(name)) {
                return super.getVariable(name);
            }
            Session s = session.get();
            if (s == null) {
                if (name.equals("session")) {
                    return null;
                }
                throw new SessionException("no session is open: `init CONFIG` or `run CONFIG` opens one");
            }
            if (!fresh && !name.equals("session") && !name.equals("jobs") && !name.equals("environments")) {
                s.refresh();
                fresh = true;
            }
            return switch (name) {
                case "session" -> s;
                case "runs" -> s.runs();
                case "jobs" -> s.config().jobs();
                case "environments" -> s.config().environments();
                case "instances" -> s.status().instances();
                default -> s.status();
            };
        }

        @Override
        public boolean hasVariable(String name) {
            return LIVE.contains(name) || super.hasVariable(name);
        }
    }
}
