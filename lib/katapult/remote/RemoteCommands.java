package katapult.remote;

import katapult.transport.ShellQuote;

/**
 * The one-line commands Katapult runs on an instance outside the scripts: reading a log, asking for cpus. Each path
 * is relative to the remote home and goes into the command as a quoted word.
 */
public final class RemoteCommands {

    private RemoteCommands() {
    }

    /** Prints a file, or nothing when it is not there (yet). */
    public static String readFile(String homeRelative) {
        return "cat " + ShellQuote.homePath(homeRelative) + " 2>/dev/null || true";
    }

    /** Prints the last {@code lines} lines of a file, or nothing when it is not there. */
    public static String tail(String homeRelative, int lines) {
        return "tail -n " + lines + " " + ShellQuote.homePath(homeRelative) + " 2>/dev/null || true";
    }

    /**
     * Prints the host's cpu count on its first line, then the version of the agent scripts installed for the
     * instance of {@code layout}, if any.
     */
    public static String cpusAndAgentVersion(RemoteLayout layout) {
        return "nproc 2>/dev/null || getconf _NPROCESSORS_ONLN; " + readFile(layout.script("version"));
    }
}
