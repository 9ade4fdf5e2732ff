package katapult.cli;

import java.nio.file.Path;
import java.time.Duration;

import katapult.session.Session;
import katapult.session.Status;
import katapult.terminal.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", aliases = "wakeup", mixinStandardHelpOptions = true,
        description = {"Run a whole session: start instances, assign jobs, deploy, run, wait, fetch the results,",
                "then print a summary. Re-running it resumes: runs already DONE are not run again.",
                "Without CONFIG, resumes the project in the working folder."})
final class RunCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "CONFIG",
            description = "The config file: Groovy, or a .py file in Python's dict syntax.")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the runs go on.")
    Duration timeout;

    @Option(names = "--reset", description = {"First clean ~/.katapult/<project> on every instance (the agents "
            + "and their runs are stopped and finished runs fetched before), so that the agent, files and "
            + "environments are installed and uploaded again. DONE runs are not run again; runs in progress go again."})
    boolean reset;

    @Override
    public Integer call() {
        try (Session session = config != null ? open(config) : resume()) {
            session.config().warnings().forEach(w -> console.progress(w.toString()));
            if (reset) {
                session.reset();
            }
            boolean finished = session.runAll(timeout);
            Status status = session.status();
            Tables.print(status, console.out(), true);
            if (!finished) {
                console.progress("timed out; the runs go on. `katapult wait` picks them up.");
                return ExitCodes.TIMEOUT;
            }
            console.progress("results in " + session.resultsFolder());
            return status.allDone() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
