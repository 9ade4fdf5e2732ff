package katapult.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.session.SessionSource;
import katapult.terminal.Console;
import katapult.terminal.EventPrinter;
import picocli.CommandLine.Option;

/** What every subcommand shares: the console, the workspace and project options, and session opening. */
abstract class KatapultSubcommand implements Callable<Integer> {

    Console console;

    /** Where sessions come from: opened per command (CLI) or lent by the REPL. Set by {@link CommandFactory}. */
    SessionSource sessions = SessionSource.DIRECT;

    /** The printer of the session opened last, which a live view diverts above its frame. */
    EventPrinter printer;

    @Option(names = {"-C", "--dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Working folder holding .katapult/ and results/ (default: the current folder).")
    Path workspace;

    @Option(names = {"-p", "--project"}, paramLabel = "NAME",
            description = "Project to work on, when the working folder has several.")
    String project;

    @Option(names = {"-v", "--verbose"}, description = "Print every run's state change and every fetch.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print only warnings and the results.")
    boolean quiet;

    /**
     * The line to the project's remote maestro when its session was handed off; then the command runs through it.
     * Inside the REPL the session is this process's own, so never.
     */
    Optional<MaestroLink> maestro() {
        return sessions.interactive() ? Optional.empty()
                : MaestroLink.open(workspace, project, sessions.providers(), console::progress);
    }

    /** Resumes the project from its saved state. */
    Session resume() {
        EventPrinter printer = new EventPrinter(console, 1);
        return levelled(sessions.resume(workspace, project, printer), printer);
    }

    Session open(Path config) {
        EventPrinter printer = new EventPrinter(console, 1);
        return levelled(sessions.open(workspace, config, printer), printer);
    }

    /** The config's debug level decides, unless -v or -q says otherwise. */
    private Session levelled(Session session, EventPrinter printer) {
        printer.level(quiet ? 0 : verbose ? 2 : session.config().debug());
        this.printer = printer;
        return session;
    }
}
