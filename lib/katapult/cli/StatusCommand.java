package katapult.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.cost.ProjectCost;
import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.RunsTable;
import katapult.session.RunsTables;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.session.Status;
import katapult.state.StateException;
import katapult.terminal.Json;
import katapult.terminal.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the instances and every run with its state, read live from the instances.",
                "While another Katapult drives the project, shows its last saved state instead."})
final class StatusCommand extends KatapultSubcommand {

    @Option(names = "--json", description = "Print the status as JSON (shape: see README).")
    boolean json;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                Optional<String> relayed = new MaestroCommands(link, console.out()).status(json);
                if (relayed.isPresent()) {
                    console.out().print(relayed.get());
                    return ExitCodes.OK;
                }
                console.progress("the maestro is not running: its last state as fetched here (`katapult fetch`"
                        + " starts it and brings its results and state)");
            }
        }
        Status status;
        ProjectCost cost = null;
        List<RunsTable> tables = null;
        try (Session session = resume()) {
            status = session.refresh().with(session.readings());
            cost = session.cost().orElse(null);
            // only the JSON shape has the per-job tables (their parameters, metrics files read)
            tables = json ? RunsTables.of(session, cost) : null;
        } catch (StateException | SessionException locked) {
            if (!locked.getMessage().startsWith("another Katapult") && maestro.isEmpty()) {
                throw locked;
            }
            status = Session.peek(workspace, project);
        }
        if (json) {
            Map<String, Object> shape = Json.status(status, cost);
            if (tables != null) {
                shape.put("jobs", tables.stream().map(RunsTable::json).toList());
            }
            Json.print(shape, console.out());
        } else {
            Tables.print(status, console.out(), false);
            if (cost != null) {
                console.out().println(cost.spend().line());
            }
        }
        return ExitCodes.OK;
    }
}
