package katapult.cli;

import katapult.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true, description = "Start (or create) the instances that have runs to do and install the agent on them.")
final class StartCommand extends KatapultSubcommand {

    @Option(names = {"-y", "--yes"}, description = "Go on without asking when the estimated cost per hour is above"
            + " confirm_above.")
    boolean yes;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            if (!CostCheck.goOn(session, console, yes)) {
                return ExitCodes.FAILED;
            }
            session.start();
            return ExitCodes.OK;
        }
    }
}
