package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Send files and environments to the instances; the agents set the environments up.")
final class DeployCommand extends KatapultSubcommand {

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.deploy();
            return ExitCodes.OK;
        }
    }
}
