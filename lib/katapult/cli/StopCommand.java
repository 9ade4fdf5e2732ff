package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "stop", aliases = "shutdown", mixinStandardHelpOptions = true, description = {"Stop the agents and their runs, then the instances (their disks stay). A later run resumes.",
        "Every finished run is fetched first; one that cannot be stays on its stopped instance for a later fetch."})
final class StopCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.stop();
            return ExitCodes.OK;
        }
    }
}
