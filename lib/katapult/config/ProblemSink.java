package katapult.config;

/** Where a reader reports what is wrong with a value: the file's line and the message. */
@FunctionalInterface
public interface ProblemSink {

    void problem(int line, String message);
}
