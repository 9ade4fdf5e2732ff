package katapult.cli;

import java.time.Duration;

import katapult.session.Session;
import katapult.session.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait until every run is DONE or ABORTED, fetching results as runs finish,",
                "then print the summary."})
final class WaitCommand extends KatapultSubcommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the runs go on.")
    Duration timeout;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            boolean finished = session.waitAll(timeout);
            Status status = session.status();
            Tables.print(status, console.out(), true);
            if (!finished) {
                return ExitCodes.TIMEOUT;
            }
            return status.allDone() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
