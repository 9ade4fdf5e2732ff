package katapult.cli;

import java.io.IOException;
import java.nio.file.Path;

import katapult.repl.Repl;
import katapult.session.SessionException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "repl", mixinStandardHelpOptions = true,
        description = {"An interactive prompt on a live session.",
                "Every command works inside, with the same options, on the session the prompt holds open; any other line is Groovy with `session`, `runs`, `jobs`,",
                "`instances` and `environments` bound (e.g. runs.findAll { it.state == ABORTED }*.stderrTail).",
                "Tab completes commands, options, files and the session's names; Ctrl-C stops the running line;",
                "Ctrl-D leaves. Without CONFIG, opens the folder's project when there is exactly one."})
final class ReplCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "The Groovy config file of the session.")
    Path config;

    @Option(names = "--history", paramLabel = "FILE",
            description = "History file (default: $KATAPULT_HISTORY, else ~/.katapult/history).")
    Path history;

    @Override
    public Integer call() throws IOException {
        if (sessions.interactive()) {
            throw new SessionException("already in the REPL");
        }
        Path file = history != null ? history : defaultHistory();
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
             Repl repl = new Repl(terminal, workspace, file, Main::commandLine)) {
            repl.open(config, project, quiet ? 0 : verbose ? 2 : -1);
            return repl.run();
        }
    }

    static Path defaultHistory() {
        String env = System.getenv("KATAPULT_HISTORY");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".katapult", "history");
    }
}
