package katapult.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import katapult.session.Session;
import picocli.CommandLine.Option;

/** What every subcommand shares: the console, the workspace and project options, and session opening. */
abstract class KatapultSubcommand implements Callable<Integer> {

    Console console;

    @Option(names = {"-C", "--dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Working folder holding .katapult/ and results/ (default: the current folder).")
    Path workspace;

    @Option(names = {"-p", "--project"}, paramLabel = "NAME",
            description = "Project to work on, when the working folder has several.")
    String project;

    @Option(names = {"-v", "--verbose"}, description = "Print every run's state change and every fetch.")
    boolean verbose;

    /** Resumes the project from its saved state. */
    Session resume() {
        return Session.resume(workspace, project, printer());
    }

    Session open(Path config) {
        return Session.open(workspace, config, printer());
    }

    EventPrinter printer() {
        return new EventPrinter(console, verbose);
    }
}
