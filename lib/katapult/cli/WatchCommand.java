package katapult.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.session.Status;
import katapult.terminal.LiveView;
import katapult.terminal.Tables;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Show a live table of the instances and runs: state counts, time, cost where known.",
                "It is refreshed every second while the session goes on, until a key is pressed.",
                "Without a terminal, prints a line whenever the run counts change, until every run is finished."})
final class WatchCommand extends KatapultSubcommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop watching after this long (e.g. 90s, 30m).")
    Duration timeout;

    @Override
    public Integer call() throws IOException {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                return new MaestroCommands(link, console.out()).watch(timeout) ? ExitCodes.OK : ExitCodes.TIMEOUT;
            }
        }
        try (Session session = resume()) {
            Terminal shared = sessions.terminal();
            if (shared != null) {
                LiveView.show(shared, session, printer, false, timeout, false, "press any key to stop watching");
                return ExitCodes.OK;
            }
            if (System.console() != null) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    LiveView.show(terminal, session, printer, false, timeout, false, "press any key to stop watching");
                }
                return ExitCodes.OK;
            }
            boolean finished = session.waitAll(timeout);
            Status status = session.status();
            Tables.print(status, console.out(), false);
            return finished ? ExitCodes.OK : ExitCodes.TIMEOUT;
        }
    }
}
