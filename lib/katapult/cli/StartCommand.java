package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "start", mixinStandardHelpOptions = true, description = "Start (or create) the instances that have runs to do and install the agent on them.")
final class StartCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.start();
            return ExitCodes.OK;
        }
    }
}
