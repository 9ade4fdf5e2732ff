package katapult.repl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import groovy.lang.Binding;
import katapult.session.Session;
import katapult.terminal.Console;
import katapult.terminal.EventPrinter;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code katapult repl}: a JLine prompt over the CLI's own command tree, holding one live session. A line whose first
 * word is a command runs that command (same options as the CLI, on the live session); any other line is Groovy with
 * the session bound. Ctrl-C stops the running line, not the REPL; Ctrl-D (or {@code exit}) leaves.
 */
public final class Repl implements AutoCloseable {

    private final Terminal terminal;
    private final Path workspace;
    private final PrintStream out;
    private final PrintWriter writer;
    private final LiveSessions sessions;
    private final CommandLine commands;
    private final GroovyPrompt groovy;
    private final LineReader reader;
    private final EventPrinter printer;

    /**
     * @param terminal  where the prompt runs (a system terminal, or a dumb one over streams in tests)
     * @param workspace the folder holding .katapult/ and results/
     * @param history   the history file (created with its folder when missing)
     * @param tree      makes the CLI's command tree the prompt runs
     */
    public Repl(Terminal terminal, Path workspace, Path history, CommandTree tree) {
        this.terminal = terminal;
        this.workspace = workspace.toAbsolutePath().normalize();
        this.out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        this.writer = new PrintWriter(out, true);
        Console console = new Console(out, out);
        this.printer = new EventPrinter(console, 1);
        this.sessions = new LiveSessions(this.workspace, terminal, printer);
        this.commands = tree.create(out, out, sessions);
        commands.setDefaultValueProvider(this::defaultValue);
        this.groovy = new GroovyPrompt(sessions::live, writer);
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND,
                DefaultParser.Bracket.SQUARE);
        parser.setEofOnUnclosedQuote(true);
        try {
            Files.createDirectories(history.toAbsolutePath().getParent());
        } catch (IOException e) {
            out.println("katapult: cannot create " + history.getParent() + " for the history: " + e.getMessage());
        }
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("katapult")
                .parser(parser)
                .completer(new ReplCompleter(commands, sessions::live))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%M> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    /** Inside the REPL, -C and -p default to the REPL's folder and project. */
    private String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            if (option.longestName().equals("--dir")) {
                return workspace.toString();
            }
            Session live = sessions.live();
            if (option.longestName().equals("--project") && live != null) {
                return live.project();
            }
        }
        return null;
    }

    /** Opens the session the prompt starts on: a config's project, or the folder's only project; may be none. */
    public void open(Path config, String project, int level) {
        Session opened = config != null
                ? sessions.open(workspace, config, printer)
                : Session.projects(workspace).size() == 1 || project != null
                        ? sessions.resume(workspace, project, printer) : null;
        if (opened != null) {
            printer.level(level >= 0 ? level : opened.config().debug());
            opened.close(); // releases the command's hold; the REPL keeps its own
        }
        sessions.commandDone();
    }

    /** The live session, or null. */
    public Session session() {
        return sessions.live();
    }

    /** Reads and runs lines until Ctrl-D or {@code exit}; returns the exit code. */
    public int run() {
        banner();
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (text.equals("exit") || text.equals("quit")) {
                break;
            }
            if (text.equals("clear")) {
                terminal.puts(Capability.clear_screen);
                terminal.flush();
                continue;
            }
            List<String> words = new ArrayList<>(reader.getParsedLine().words());
            words.removeIf(String::isEmpty);
            if (!words.isEmpty() && commands.getSubcommands().containsKey(words.get(0))) {
                interruptibly(() -> {
                    try {
                        commands.execute(words.toArray(String[]::new));
                    } finally {
                        sessions.commandDone();
                    }
                });
            } else {
                interruptibly(() -> evaluate(text));
            }
        }
        return 0;
    }

    private void banner() {
        Session live = sessions.live();
        out.println("Katapult REPL" + (live == null ? " — no project open here: `init CONFIG` or `run CONFIG` opens one"
                : " — project " + live.project() + ": " + live.plan().instances().size() + " instance(s), "
                + live.plan().jobs().size() + " job(s), " + live.plan().runs().size() + " run(s)"));
        out.println("Commands as in the CLI (`help`); any other line is Groovy with session, runs, jobs, instances."
                + " Tab completes; Ctrl-C stops a line; Ctrl-D leaves.");
    }

    private String prompt() {
        Session live = sessions.live();
        return live == null ? "katapult> " : "katapult:" + live.project() + "> ";
    }

    /** Evaluates a Groovy line, printing its value readably or its error as one line. */
    void evaluate(String code) {
        try {
            String shown = Shown.of(groovy.evaluate(code));
            if (shown != null) {
                out.println(shown);
            }
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
                out.println("interrupted");
            } else {
                out.println("error: " + GroovyPrompt.oneLine(e, 0));
            }
        }
        writer.flush();
    }

    /** Runs a line on a worker thread, so Ctrl-C interrupts the line, not the REPL. */
    private void interruptibly(Runnable work) {
        AtomicReference<Throwable> crashed = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                crashed.set(t);
            }
        }, "katapult-repl-line");
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> worker.interrupt());
        worker.start();
        try {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    worker.interrupt();
                }
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
        if (crashed.get() != null) {
            out.println("error: " + GroovyPrompt.oneLine(crashed.get(), 0));
        }
        out.flush();
    }

    /** Groovy's binding at the prompt (tests look at it). */
    Binding binding() {
        return groovy.binding();
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("katapult: cannot save the history: " + e.getMessage());
        }
        sessions.close();
        out.flush();
    }
}
