package katapult.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's parameter grid: every combination of its parameters' values is one point, and each point runs
 * {@code repeat} times. Points are numbered like nested loops in the order the parameters are written: the first
 * parameter changes slowest, the last fastest. A job without a grid has one point with no parameters.
 *
 * @param params the parameters in the order written
 */
public record Sweep(List<Param> params) {

    /** The grid of a job that sweeps nothing. */
    public static final Sweep NONE = new Sweep(List.of());

    public Sweep {
        params = List.copyOf(params);
    }

    /** One parameter and its values as text (what placeholders and environment variables receive). */
    public record Param(String name, List<String> values) {
        public Param {
            values = List.copyOf(values);
        }
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** How many combinations (1 for no grid), at most {@link Integer#MAX_VALUE} (max_runs refuses such a grid). */
    public int points() {
        long n = 1;
        for (Param p : params) {
            n = Math.min(n * p.values().size(), Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** The values of point {@code index} (0-based), by parameter name in the order written. */
    public Map<String, String> point(int index) {
        Map<String, String> values = new LinkedHashMap<>();
        int rest = index;
        for (int i = params.size() - 1; i >= 0; i--) {
            Param p = params.get(i);
            values.put(p.name(), p.values().get(rest % p.values().size()));
            rest /= p.values().size();
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        params.forEach(p -> ordered.put(p.name(), values.get(p.name())));
        return ordered;
    }

    /** The names of the parameters. */
    public List<String> names() {
        return params.stream().map(Param::name).toList();
    }
}
