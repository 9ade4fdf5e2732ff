package katapult.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results table of one job: one row per run, in run order, with its parameters, how it went, its cost share and
 * the fields of its metrics file. {@link #csv()} is what {@code results/<project>/<job>/runs.csv} holds.
 *
 * @param job     the job's name
 * @param params  the parameter names, in the order written
 * @param metrics the metrics columns: every field any run's metrics file gave, in order of first appearance
 * @param rows    one per run
 */
public record RunsTable(String job, List<String> params, List<String> metrics, List<Row> rows) {

    /** The columns between the parameters and the metrics. */
    public static final List<String> FIXED = List.of("state", "exit", "attempts", "start", "end", "duration",
            "instance", "cost");

    public RunsTable {
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
        rows = List.copyOf(rows);
    }

    /**
     * One run.
     *
     * @param run      its index (1-based), which names its results folder {@code <job>/<run>/}
     * @param start    epoch seconds, or null
     * @param end      epoch seconds, or null
     * @param duration seconds from start to end once it ended, or null
     * @param cost     its share of what its instance cost, or null where the provider charges nothing
     * @param metrics  the fields of its metrics file (empty when none, or when the file was not readable)
     */
    public record Row(int run, String uid, Map<String, String> params, String state, Integer exit, int attempts,
                      Long start, Long end, Long duration, String instance, Double cost, Map<String, String> metrics) {
    }

    /** Every column: {@code run}, {@code uid}, the parameters, {@link #FIXED}, the metrics. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("run", "uid"));
        columns.addAll(params);
        columns.addAll(FIXED);
        columns.addAll(metrics);
        return columns;
    }

    /** The table as CSV: a header, then one line per run; times in ISO-8601 UTC, durations in seconds. */
    public String csv() {
        StringBuilder out = new StringBuilder(CsvText.line(columns()));
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r.run()), r.uid()));
            params.forEach(p -> cells.add(r.params().get(p)));
            cells.addAll(List.of(r.state(), text(r.exit()), String.valueOf(r.attempts()), time(r.start()),
                    time(r.end()), text(r.duration()), r.instance() == null ? "" : r.instance(),
                    r.cost() == null ? "" : String.format(java.util.Locale.ROOT, "%.6f", r.cost())));
            metrics.forEach(m -> cells.add(r.metrics().get(m)));
            out.append(CsvText.line(cells));
        }
        return out.toString();
    }

    /** The table as {@code status --json} gives it. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job);
        m.put("params", params);
        m.put("metrics", metrics);
        m.put("runs", rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", r.run());
            row.put("uid", r.uid());
            row.put("params", r.params());
            row.put("state", r.state());
            row.put("exit", r.exit());
            row.put("attempts", r.attempts());
            row.put("start", r.start());
            row.put("end", r.end());
            row.put("duration", r.duration());
            row.put("instance", r.instance());
            row.put("cost", r.cost());
            row.put("metrics", r.metrics());
            return row;
        }).toList());
        return m;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String time(Long epochSeconds) {
        return epochSeconds == null ? "" : Instant.ofEpochSecond(epochSeconds).toString();
    }
}
