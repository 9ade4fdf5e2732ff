package katapult.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written like {@code 90m}, {@code 2h}, {@code 1d}, {@code 45s} or {@code 1h30m}. */
public final class Durations {

    private static final Pattern TEXT = Pattern.compile(
            "\\s*(?:(\\d+)\\s*d)?\\s*(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*m)?\\s*(?:(\\d+)\\s*s)?\\s*",
            Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /**
     * @return the duration, or null when the text is not of that form (a bare number included:
     *         it has no unit)
     */
    public static Duration parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches() || text.isBlank()) {
            return null;
        }
        Duration d = Duration.ZERO;
        boolean any = false;
        long[] unitSeconds = {86_400, 3_600, 60, 1};
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null) {
                any = true;
                try {
                    d = d.plusSeconds(Math.multiplyExact(Long.parseLong(m.group(g)), unitSeconds[g - 1]));
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            }
        }
        return any ? d : null;
    }

    /** The shortest text {@link #parse} reads back to the same duration (whole seconds). */
    public static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        long[] unitSeconds = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < 4; i++) {
            if (s >= unitSeconds[i]) {
                b.append(s / unitSeconds[i]).append(units[i]);
                s %= unitSeconds[i];
            }
        }
        return b.length() == 0 ? "0s" : b.toString();
    }
}
