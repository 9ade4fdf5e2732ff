package katapult.cli;

/** What a katapult command's exit code means. */
public final class ExitCodes {
    /** Everything asked for was done; for run/wait: every run DONE. */
    public static final int OK = 0;
    /** The command worked but some runs were ABORTED, or the session could not go on (message printed). */
    public static final int FAILED = 1;
    /** The user's input is wrong: a bad config file or command line. Nothing was started. */
    public static final int USAGE = 2;
    /** wait/run --timeout passed with runs still going. */
    public static final int TIMEOUT = 3;
    /** A bug in Katapult: the stack trace is printed for the report. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
