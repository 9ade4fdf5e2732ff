package katapult.transport;

import java.util.List;
import java.util.stream.Collectors;

/** The one place where values become shell words: single-quoted, so nothing inside is ever interpreted. */
public final class ShellQuote {

    private ShellQuote() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed through a shell");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    /**
     * A path under the remote home, as a shell word that expands $HOME but nothing in {@code relative}; an absolute
     * path (a folder outside the home) is quoted as it is.
     */
    public static String homePath(String relative) {
        return relative.startsWith("/") ? quote(relative) : "\"$HOME\"/" + quote(relative);
    }
}
