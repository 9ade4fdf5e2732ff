package katapult.config;

/**
 * One thing wrong in a config file, placed at a line (0 when no line is known).
 *
 * @param code    what kind of problem, for callers that decide on it ({@link Code#GENERAL} for most)
 * @param subject what the problem is about when its code names one (the job name of {@link Code#JOB_NAME_TAKEN})
 */
public record Problem(String file, int line, String message, Code code, String subject) {

    /** Kinds of problems a caller may act on; the message stays the text for people. */
    public enum Code { GENERAL, JOB_NAME_TAKEN }

    public Problem(String file, int line, String message) {
        this(file, line, message, Code.GENERAL, null);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
