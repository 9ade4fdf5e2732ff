package katapult.cli;

import katapult.session.Session;
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
        Status status;
        String cost = null;
        try (Session session = resume()) {
            status = session.refresh().withClocks(session.clocks());
            cost = session.costSoFar();
        } catch (StateException locked) {
            if (!locked.getMessage().startsWith("another Katapult")) {
                throw locked;
            }
            status = Session.peek(workspace, project);
        }
        if (json) {
            Json.print(Json.status(status), console.out());
        } else {
            Tables.print(status, console.out(), false);
            if (cost != null) {
                console.out().println(cost);
            }
        }
        return ExitCodes.OK;
    }
}
