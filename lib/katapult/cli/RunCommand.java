package katapult.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import katapult.cost.ProjectCost;
import katapult.dsl.ConfigLoader;
import katapult.maestro.HandOff;
import katapult.session.RunsTables;
import katapult.session.Session;
import katapult.state.MaestroMarker;
import katapult.session.Status;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import katapult.terminal.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", aliases = "wakeup", mixinStandardHelpOptions = true,
        description = {"Run a whole session: start, deploy, run, wait, fetch the results.",
                "Instances are started, jobs assigned, environments and files deployed, runs run and waited for,",
                "results fetched, then a summary printed. Re-running it resumes: runs already DONE are not run again.",
                "Without CONFIG, resumes the project in the working folder."})
final class RunCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "CONFIG",
            description = "The config file: Groovy, or a .py file in Python's dict syntax.")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the runs go on.")
    Duration timeout;

    @Option(names = {"-y", "--yes"}, description = "Go on without asking when the estimated cost per hour is above"
            + " confirm_above.")
    boolean yes;

    @Option(names = "--reset", description = {"First clean ~/.katapult/<project> on every instance (the agents "
            + "and their runs are stopped and finished runs fetched before), so that the agent, files and "
            + "environments are installed and uploaded again. DONE runs are not run again; runs in progress go again."})
    boolean reset;

    @Option(names = "--json", description = "Print the outcome and the final status as JSON on stdout (shape: see"
            + " README); progress stays on stderr.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Optional<Path> handOff = HandOff.wanted(workspace, project, config);
        if (handOff.isPresent()) {
            return handOff(handOff.get());
        }
        try (Session session = config != null ? open(config) : resume()) {
            session.config().warnings().forEach(w -> console.progress(w.toString()));
            if (!CostCheck.goOn(session, console, yes)) {
                return ExitCodes.FAILED;
            }
            if (reset) {
                session.reset();
            }
            boolean finished = session.runAll(timeout);
            Status status = session.status();
            Reports.Outcome outcome = !finished ? Reports.Outcome.TIMEOUT
                    : status.allDone() ? Reports.Outcome.DONE : Reports.Outcome.ABORTED;
            if (json) {
                ProjectCost cost = session.cost().orElse(null);
                Json.print(Reports.ended(status, cost, outcome, session.resultsFolder(), RunsTables.json(session, cost)),
                        console.out());
            } else {
                Tables.print(status, console.out(), true);
            }
            if (!finished) {
                console.progress("timed out; the runs go on. `katapult wait` picks them up.");
                return ExitCodes.TIMEOUT;
            }
            console.progress("results in " + session.resultsFolder());
            return outcome == Reports.Outcome.DONE ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** Hands the session to the remote maestro; the laptop may then close. */
    private int handOff(Path file) throws IOException {
        HandOff handOff = new HandOff(workspace, sessions.providers(), console::progress, Clock.systemUTC());
        HandOff.HandOffCost cost = handOff.estimate(file);
        if (!CostCheck.goOn(cost.estimate(), cost.confirmAbove(), console, yes)) {
            return ExitCodes.FAILED;
        }
        MaestroMarker marker = handOff.run(file);
        if (json) {
            String name = ConfigLoader.load(file).project();
            Json.print(Reports.handedOff(name, marker.instance().handle(), workspace.resolve("results").resolve(name)),
                    console.out());
            return ExitCodes.OK;
        }
        console.out().println("handed to the maestro " + marker.instance().handle() + ": the laptop may close.");
        console.out().println("follow it with `katapult status`, `watch`, `logs [-f]`; `katapult wait` waits and"
                + " fetches, `katapult fetch` brings the results finished so far; `katapult down` removes it all.");
        return ExitCodes.OK;
    }
}
