package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Queue every run that is not on its instance yet; the agents start them when their cpus are free.")
final class SubmitCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.submit();
            return ExitCodes.OK;
        }
    }
}
