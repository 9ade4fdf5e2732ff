package katapult.terminal;

import java.io.PrintStream;

/** Where the CLI writes: results to out, progress and errors to err. */
public record Console(PrintStream out, PrintStream err) {

    public void error(String message) {
        err.println("katapult: " + message);
    }

    public void progress(String message) {
        err.println(message);
    }
}
