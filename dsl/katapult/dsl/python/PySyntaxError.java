package katapult.dsl.python;

/** What makes a Python config unreadable, at the line and column where it starts. */
public final class PySyntaxError extends RuntimeException {

    private final int line;
    private final int column;

    public PySyntaxError(int line, int column, String message) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
