package katapult.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
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

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait until every run is DONE or ABORTED, fetching results as runs finish,",
                "then stop the instances (when auto_stop is on) and print the summary."})
final class WaitCommand extends KatapultSubcommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the runs go on.")
    Duration timeout;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                int code = new MaestroCommands(link, console.out()).waitAll(timeout);
                if (code < 0) {
                    console.progress("timed out; the maestro goes on. `katapult wait` picks it up again.");
                    return ExitCodes.TIMEOUT;
                }
                Tables.print(Session.peek(workspace, link.project()), console.out(), true);
                console.progress("results in " + workspace.resolve("results").resolve(link.project()));
                return code;
            }
        }
        try (Session session = resume()) {
            boolean finished = waitLive(session);
            Status status = session.status();
            Tables.print(status, console.out(), true);
            if (!finished) {
                return ExitCodes.TIMEOUT;
            }
            return status.allDone() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** On a terminal, the live view of `watch` until every run is finished ('q' stops waiting); else plain lines. */
    private boolean waitLive(Session session) {
        Terminal shared = sessions.terminal();
        try {
            if (shared != null) {
                return LiveView.show(shared, session, printer, true, timeout, true, HINT) == LiveView.End.SETTLED;
            }
            if (System.console() != null && !quiet) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    return LiveView.show(terminal, session, printer, true, timeout, true, HINT) == LiveView.End.SETTLED;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return session.waitAll(timeout);
    }

    private static final String HINT = "waiting until every run is finished; press q to stop waiting (the runs go on)";
}
