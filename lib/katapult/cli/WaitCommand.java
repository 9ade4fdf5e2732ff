package katapult.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.cost.ProjectCost;
import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.RunsTables;
import katapult.session.Session;
import katapult.session.Status;
import katapult.terminal.LiveView;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import katapult.terminal.Tables;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait until every run is DONE or ABORTED, fetching results as runs finish.",
                "Then it stops the instances (when auto_stop is on) and prints the summary."})
final class WaitCommand extends KatapultSubcommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the runs go on.")
    Duration timeout;

    @Option(names = "--json", description = "Print the outcome and the final status as JSON on stdout (shape: see"
            + " README); progress stays on stderr.")
    boolean json;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                int code = new MaestroCommands(link, json ? console.err() : console.out()).waitAll(timeout);
                Path results = workspace.resolve("results").resolve(link.project());
                Status status = Session.peek(workspace, link.project());
                Reports.Outcome outcome = code < 0 ? Reports.Outcome.TIMEOUT
                        : code == ExitCodes.OK ? Reports.Outcome.DONE : Reports.Outcome.ABORTED;
                if (json || code >= 0) {
                    show(status, null, outcome, results, null);
                }
                if (code < 0) {
                    console.progress("timed out; the maestro goes on. `katapult wait` picks it up again.");
                    return ExitCodes.TIMEOUT;
                }
                console.progress("results in " + results);
                return code;
            }
        }
        try (Session session = resume()) {
            boolean finished = json ? session.waitAll(timeout) : waitLive(session);
            Status status = session.status();
            Reports.Outcome outcome = !finished ? Reports.Outcome.TIMEOUT
                    : status.allDone() ? Reports.Outcome.DONE : Reports.Outcome.ABORTED;
            ProjectCost cost = session.cost().orElse(null);
            show(status, cost, outcome, session.resultsFolder(), json ? RunsTables.json(session, cost) : null);
            if (!finished) {
                return ExitCodes.TIMEOUT;
            }
            return outcome == Reports.Outcome.DONE ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** The summary table, or with --json the outcome and the status as one document. */
    private void show(Status status, ProjectCost cost, Reports.Outcome outcome, Path results,
                      List<Map<String, Object>> jobs) {
        if (json) {
            Json.print(Reports.ended(status, cost, outcome, results, jobs), console.out());
        } else {
            Tables.print(status, console.out(), true);
        }
    }

    /** On a terminal, the live view of `watch` until every run is finished ('q' stops waiting); else plain lines. */
    private boolean waitLive(Session session) {
        Terminal shared = sessions.terminal();
        try {
            if (shared != null) {
                return LiveView.show(shared, session, printer, true, timeout, true, HINT) == LiveView.End.SETTLED;
            }
            if (System.console() != null && !quiet) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    return LiveView.show(terminal, session, printer, true, timeout, true, HINT) == LiveView.End.SETTLED;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return session.waitAll(timeout);
    }

    private static final String HINT = "waiting until every run is finished; press q to stop waiting (the runs go on)";
}
