package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop and remove every instance of the project. Results and the record of finished runs stay.")
final class DownCommand extends KatapultSubcommand {

    @Option(names = "--purge", description = "Also delete the project's folder ~/.katapult/<project> on every instance"
            + " (ssh hosts themselves are never touched: only that folder goes).")
    boolean purge;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.down(purge);
            return ExitCodes.OK;
        }
    }
}
