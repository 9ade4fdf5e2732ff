package katapult.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import katapult.session.SessionSource;
import katapult.terminal.Console;
import picocli.CommandLine;

/** Entry of the CLI: builds the command tree and maps every failure to one message and an exit code. */
public final class Main {

    private Main() {
    }

    /** The process entry (katapult.java calls it): the only place that exits. */
    public static void main(String... args) {
        // picocli's default factory loads groovy.lang.Closure for closures in annotations, which Katapult does not
        // use: that alone starts Groovy's whole runtime (about 1,000 classes) before any command runs
        System.setProperty("picocli.disable.closures", "true");
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line; never calls System.exit, so the whole CLI is testable in-process. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, SessionSource.DIRECT, args);
    }

    /** Runs one command line with sessions (and their providers) from {@code sessions}. */
    public static int run(PrintStream out, PrintStream err, SessionSource sessions, String... args) {
        return commandLine(out, err, sessions, Subcommands.named(args), Subcommands.listedOnly(args)).execute(args);
    }

    /** The one command tree, shared by the CLI and the REPL. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, SessionSource.DIRECT);
    }

    /** The command tree with its sessions coming from {@code sessions} (the REPL lends the one it holds). */
    public static CommandLine commandLine(PrintStream out, PrintStream err, SessionSource sessions) {
        return commandLine(out, err, sessions, KatapultCommand.SUBCOMMANDS, false);
    }

    /**
     * The command tree with only {@code subcommands} under its top (handlers are set after they are added), each
     * only as the top's help lists it when {@code listed} (but help itself, which runs).
     */
    private static CommandLine commandLine(PrintStream out, PrintStream err, SessionSource sessions,
                                           List<Class<?>> subcommands, boolean listed) {
        Console console = new Console(out, err);
        CommandFactory factory = new CommandFactory(console, sessions);
        CommandLine line = new CommandLine(new KatapultCommand(), factory);
        subcommands.forEach(type -> line.addSubcommand(listed && type != CommandLine.HelpCommand.class
                ? Subcommands.listing(type) : new CommandLine(type, factory)));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        // picocli hides its completion command; Katapult lists it, as the README documents it
        Optional.ofNullable(line.getSubcommands().get("generate-completion"))
                .ifPresent(completion -> completion.getCommandSpec().usageMessage().hidden(false));
        line.setExecutionExceptionHandler(new Failures(console));
        line.setParameterExceptionHandler((ex, argv) -> {
            console.error(ex.getMessage());
            // picocli's "Did you mean" for a mistyped command or option: printed only when it has one
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, console.err());
            CommandLine failed = ex.getCommandLine();
            console.err().println("Try `" + failed.getCommandSpec().qualifiedName() + " --help`.");
            return ExitCodes.USAGE;
        });
        return line;
    }
}
