package katapult.transport;

import java.io.IOException;
import java.util.Arrays;

/** What a command left behind: its exit code and everything it printed. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or an IOException naming {@code what} and the command's last words. */
    public ExecResult orThrow(String what) throws IOException {
        if (ok()) {
            return this;
        }
        String said = stderr.isBlank() ? stdout : stderr;
        throw new IOException(what + " failed (exit " + exitCode + ")" + (said.isBlank() ? "" : ": " + lastLines(said, 5)));
    }

    private static String lastLines(String text, int count) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - count);
        return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }
}
