package katapult.terminal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import katapult.session.RunView;
import katapult.session.Status;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;
import katapult.state.RunState;

/** The status and summary tables. */
public final class Tables {

    private Tables() {
    }

    public static void print(Status status, PrintStream out, boolean withAbortedLogs) {
        long now = Instant.now().getEpochSecond();
        out.println("project " + status.project() + (status.live() ? "" : " (as last saved; not read live)"));
        List<String[]> instances = new ArrayList<>();
        instances.add(new String[] {"INSTANCE", "PROVIDER", "STATUS", "CPUS", "RUNS"});
        for (InstanceRecord instance : status.instances()) {
            Map<RunState, Long> counts = status.runs().stream().filter(r -> instance.name().equals(r.run().instance()))
                    .collect(Collectors.groupingBy(RunView::state, () -> new EnumMap<>(RunState.class),
                            Collectors.counting()));
            instances.add(new String[] {instance.name(), instance.provider(), instance.status(),
                    String.valueOf(instance.cpus()), counts(counts)});
        }
        if (instances.size() > 1) {
            table(instances, out);
            out.println();
        }
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"RUN", "ID", "INSTANCE", "STATE", "EXIT", "TIME", "NOTE"});
        for (RunView view : status.runs()) {
            RunRecord run = view.run();
            Long elapsed = view.elapsedSeconds(now);
            runs.add(new String[] {run.job() + "/" + run.repeat(), run.rid(), dash(run.instance()),
                    run.state().name(), run.exit() == null ? "-" : run.exit().toString(),
                    elapsed == null ? "-" : duration(elapsed), run.reason() == null ? "" : run.reason()});
        }
        table(runs, out);
        out.println();
        out.println(counts(status.counts().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> (long) e.getValue(), Long::sum, () -> new EnumMap<>(RunState.class))))
                + " (" + status.runs().size() + " runs)");
        if (withAbortedLogs) {
            abortedLogs(status, out);
        }
    }

    public static void abortedLogs(Status status, PrintStream out) {
        for (RunView view : status.runs()) {
            if (view.state() == RunState.ABORTED) {
                out.println();
                out.println("--- " + view.run().job() + "/" + view.run().repeat() + " ABORTED: "
                        + dash(view.run().reason()));
                if (!view.stderrTail().isBlank()) {
                    out.println(view.stderrTail().indent(4).stripTrailing());
                }
            }
        }
    }

    private static String counts(Map<RunState, Long> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format("%02d", seconds % 3600 / 60) + "m";
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    public static void table(List<String[]> rows, PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row[c] : String.format("%-" + (widths[c] + 2) + "s", row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
