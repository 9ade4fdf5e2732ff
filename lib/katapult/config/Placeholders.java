package katapult.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${name}} placeholders of a swept job's command: each names one of the job's parameters and is
 * replaced by that parameter's value in every run.
 */
public final class Placeholders {

    /** {@code ${name}} where name is an identifier. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Placeholders() {
    }

    /** The names used in {@code text}, in order of first use. */
    public static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * {@code text} with each placeholder replaced by {@code quote} of its value; a placeholder naming no value is
     * left as written (the binder has refused such a job already).
     */
    public static String substitute(String text, Map<String, String> values, UnaryOperator<String> quote) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : quote.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
