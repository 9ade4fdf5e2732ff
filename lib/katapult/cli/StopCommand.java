package katapult.cli;

import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", aliases = "shutdown", mixinStandardHelpOptions = true, description = {"Stop the agents and their runs, then the instances (their disks stay). A later run resumes.",
        "Every finished run is fetched first; one that cannot be stays on its stopped instance for a later fetch."})
final class StopCommand extends KatapultSubcommand {

    @Option(names = "--json", description = "Print the outcome as JSON on stdout (shape: see README); progress stays on"
            + " stderr.")
    boolean json;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                new MaestroCommands(link, json ? console.err() : console.out()).stop();
                if (json) {
                    Json.print(Reports.stopped(Session.peek(workspace, link.project())), console.out());
                }
                return ExitCodes.OK;
            }
        }
        try (Session session = resume()) {
            session.stop();
            if (json) {
                Json.print(Reports.stopped(session.status()), console.out());
            }
            return ExitCodes.OK;
        }
    }
}
