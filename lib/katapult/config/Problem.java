package katapult.config;

/** One thing wrong in a config file, placed at a line (0 when no line is known). */
public record Problem(String file, int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
