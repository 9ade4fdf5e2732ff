package katapult.repl;

import java.io.PrintStream;

import katapult.session.SessionSource;
import picocli.CommandLine;

/**
 * Makes the CLI's command tree for the prompt, its sessions lent by the REPL. The CLI passes its own, so the REPL
 * runs every command without depending on the package that defines them.
 */
@FunctionalInterface
public interface CommandTree {

    CommandLine create(PrintStream out, PrintStream err, SessionSource sessions);
}
