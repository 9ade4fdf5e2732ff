package katapult.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds a job's parameter grid ({@code sweep lr: [0.1, 0.01], seed: 1..3}; {@code sweep_params} in the map form)
 * and checks the placeholders of its command against it: every problem is reported at its key's line.
 */
final class SweepBinder {

    /** A parameter name: it names a placeholder and, upper-cased, an environment variable. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Binding in;

    SweepBinder(Binding in) {
        this.in = in;
    }

    /** The grid of job {@code m}: {@link Sweep#NONE} when it has none or it is wrong (then reported). */
    Sweep bind(RawMap m) {
        Located value = Binding.val(m, JobKeys.SWEEP.name());
        if (value == null || value.value() == null) {
            return Sweep.NONE;
        }
        String key = in.spell(JobKeys.SWEEP);
        if (!(value.value() instanceof RawMap grid) || grid.keys().isEmpty()) {
            in.problem(value.line(), "'" + key + "' must map parameter names to lists of values, such as "
                    + "lr: [0.1, 0.01], seed: 1..3; got " + Readers.show(value.value()));
            return Sweep.NONE;
        }
        List<Sweep.Param> params = new ArrayList<>();
        Set<String> variables = new LinkedHashSet<>();
        boolean ok = true;
        for (String name : grid.keys()) {
            if (!variables.add(name.toUpperCase(Locale.ROOT))) {
                in.problem(grid.get(name).line(), "'" + key + "': parameters '" + name + "' and another differ only in"
                        + " case; they would share the variable KATAPULT_PARAM_" + name.toUpperCase(Locale.ROOT));
                ok = false;
                continue;
            }
            Sweep.Param p = param(key, name, grid.get(name));
            ok &= p != null;
            if (p != null) {
                params.add(p);
            }
        }
        return ok ? new Sweep(params) : Sweep.NONE;
    }

    private Sweep.Param param(String key, String name, Located values) {
        if (!IDENTIFIER.matcher(name).matches()) {
            in.problem(values.line(), "'" + key + "': parameter name '" + name + "' is not an identifier (letters, "
                    + "digits and _, not starting with a digit)");
            return null;
        }
        List<Located> items = values.value() instanceof List<?> list ? located(list) : List.of(values);
        if (items.isEmpty()) {
            in.problem(values.line(), "'" + key + "': parameter '" + name + "' has no values");
            return null;
        }
        List<String> texts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Located item : items) {
            String text = scalar(item.value());
            if (text == null) {
                in.problem(item.line(), "'" + key + "': parameter '" + name + "' takes numbers, strings or booleans,"
                        + " got " + Readers.show(item.value()));
                return null;
            }
            if (!seen.add(text)) {
                in.problem(item.line(), "'" + key + "': parameter '" + name + "' lists " + text + " twice");
                return null;
            }
            texts.add(text);
        }
        return new Sweep.Param(name, texts);
    }

    @SuppressWarnings("unchecked")
    private static List<Located> located(List<?> list) {
        return (List<Located>) list;
    }

    /**
     * How many points the grid of job {@code m} has as written, counted before it is checked (1 when it is not a
     * map of lists); capped at {@link Integer#MAX_VALUE} so that no product overflows.
     */
    static long rawPoints(RawMap m) {
        Located value = Binding.val(m, JobKeys.SWEEP.name());
        if (value == null || !(value.value() instanceof RawMap grid)) {
            return 1;
        }
        long points = 1;
        for (String name : grid.keys()) {
            Object values = grid.get(name).value();
            long size = values instanceof List<?> list ? list.size() : 1;
            points = Math.min(points * Math.max(size, 1), Integer.MAX_VALUE);
        }
        return points;
    }

    /** A value as its text: numbers as written (no exponent for decimals), strings and booleans as they are. */
    static String scalar(Object value) {
        if (value instanceof CharSequence || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return null;
    }

    /**
     * In a swept job every {@code ${name}} of {@code text} (the value of {@code commandKey}) must name a parameter;
     * a job without a grid keeps its text as written.
     */
    void checkPlaceholders(RawMap m, Sweep sweep, ConfigKey<String> commandKey, String text) {
        if (text == null || sweep.isEmpty()) {
            return;
        }
        for (String name : Placeholders.names(text)) {
            if (!sweep.names().contains(name)) {
                in.problem(Binding.line(m, commandKey.name()), "'" + in.spell(commandKey) + "': placeholder ${"
                        + name + "} names no parameter of '" + in.spell(JobKeys.SWEEP) + "' (parameters: "
                        + String.join(", ", sweep.names()) + ")" + DidYouMean.hint(name, sweep.names())
                        + "; write a shell variable as $" + name);
            }
        }
    }
}
