package katapult.cli;

import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "stop", aliases = "shutdown", mixinStandardHelpOptions = true, description = {"Stop the agents and their runs, then the instances (their disks stay). A later run resumes.",
        "Every finished run is fetched first; one that cannot be stays on its stopped instance for a later fetch."})
final class StopCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                new MaestroCommands(link, console.out()).stop();
                return ExitCodes.OK;
            }
        }
        try (Session session = resume()) {
            session.stop();
            return ExitCodes.OK;
        }
    }
}
