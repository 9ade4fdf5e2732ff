package katapult.cli;

import katapult.config.ConfigException;
import katapult.config.Problem;
import katapult.provider.ProviderException;
import katapult.session.SessionException;
import katapult.state.StateException;
import katapult.terminal.Console;
import katapult.transport.SafePaths.UnsafePathException;
import picocli.CommandLine;

/** The one place that turns exceptions into messages and exit codes. A user's mistake never shows a stack trace. */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    private final Console console;

    Failures(Console console) {
        this.console = console;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine line, CommandLine.ParseResult parsed) {
        if (ex instanceof ConfigException config) {
            for (Problem problem : config.problems()) {
                console.err().println(problem);
            }
            int count = config.problems().size();
            String file = count > 0 ? config.problems().get(0).file() : "the config";
            console.err().println(count + (count == 1 ? " problem" : " problems") + " in " + file
                    + "; nothing was started.");
            return ExitCodes.USAGE;
        }
        if (ex instanceof SessionException || ex instanceof StateException
                || ex instanceof ProviderException
                || ex instanceof UnsafePathException) {
            console.error(ex.getMessage());
            return ExitCodes.FAILED;
        }
        console.error("internal error (please report it with the lines below): " + ex);
        ex.printStackTrace(console.err());
        return ExitCodes.INTERNAL;
    }
}
