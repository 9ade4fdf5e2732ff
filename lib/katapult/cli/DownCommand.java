package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop and remove every instance of the project. Results and the record of finished runs stay.")
final class DownCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.down();
            return ExitCodes.OK;
        }
    }
}
