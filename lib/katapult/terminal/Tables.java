package katapult.terminal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import katapult.remote.AgentClocks;
import katapult.remote.DiskSpace;
import katapult.session.RunView;
import katapult.session.Status;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;
import katapult.state.RunState;

/** The status and summary tables. */
public final class Tables {

    /** How much of a table is written at once. */
    private static final int CHUNK = 1 << 16;

    private Tables() {
    }

    public static void print(Status status, PrintStream out, boolean withAbortedLogs) {
        long now = Instant.now().getEpochSecond();
        out.println("project " + status.project() + (status.live() ? "" : " (as last saved; not read live)"));
        List<String[]> instances = new ArrayList<>();
        // the lifecycle clocks get a column only when some instance told them (its agent may shut it down)
        boolean clocks = !status.clocks().isEmpty();
        // and the disk a column when some instance told it
        boolean disks = !status.disks().isEmpty();
        String[] header = {"INSTANCE", "PROVIDER", "STATUS", "CPUS", "RUNS"};
        header = disks ? append(header, "DISK") : header;
        instances.add(clocks ? append(header, "LIFECYCLE") : header);
        Map<String, Map<RunState, Long>> countsByInstance = status.instances().isEmpty() ? Map.of()
                : countsByInstance(status.runs());
        for (InstanceRecord instance : status.instances()) {
            Map<RunState, Long> counts = countsByInstance.getOrDefault(instance.name(), Map.of());
            String[] row = {instance.name(), instance.provider(), instance.status(),
                    String.valueOf(instance.cpus()), counts(counts)};
            if (disks) {
                DiskSpace disk = status.disks().get(instance.name());
                row = append(row, disk == null ? "-" : disk.line());
            }
            instances.add(clocks ? append(row, clocks(status.clocks().get(instance.name()), now)) : row);
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

    /** Each instance's runs counted by state, in one pass over the runs (a project may have 100,000). */
    private static Map<String, Map<RunState, Long>> countsByInstance(List<RunView> runs) {
        Map<String, Map<RunState, Long>> counts = new HashMap<>();
        for (RunView view : runs) {
            if (view.run().instance() != null) {
                counts.computeIfAbsent(view.run().instance(), name -> new EnumMap<>(RunState.class))
                        .merge(view.state(), 1L, Long::sum);
            }
        }
        return counts;
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

    /** {@code idle 3m/10m · heard 20s ago}: the idle clock against idle_stop, and when Katapult last spoke. */
    static String clocks(AgentClocks clocks, long now) {
        if (clocks == null) {
            return "-";
        }
        String idle = clocks.idleSince() == null ? "not idle"
                : "idle " + brief(Math.max(0, now - clocks.idleSince())) + "/"
                + (clocks.idleStop() == null ? "?" : clocks.idleStop() == 0 ? "off" : brief(clocks.idleStop()));
        return clocks.heardAt() == null ? idle
                : idle + " · heard " + brief(Math.max(0, now - clocks.heardAt())) + " ago";
    }

    /** A duration to the unit that matters: 20s, 3m, 1h5m. */
    private static String brief(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }

    private static String[] append(String[] row, String cell) {
        String[] longer = Arrays.copyOf(row, row.length + 1);
        longer[row.length] = cell;
        return longer;
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
        // lines padded by hand and written in large chunks: String.format per cell and one flushed write per line
        // (System.out flushes on every println) dominated tables of 100,000 rows
        String newline = System.lineSeparator();
        StringBuilder chunk = new StringBuilder(CHUNK + 256);
        for (String[] row : rows) {
            int start = chunk.length();
            for (int c = 0; c < columns; c++) {
                chunk.append(row[c]);
                if (c < columns - 1) {
                    pad(chunk, widths[c] + 2 - row[c].length());
                }
            }
            int end = chunk.length();
            while (end > start && Character.isWhitespace(chunk.charAt(end - 1))) {
                end--;
            }
            chunk.setLength(end);
            chunk.append(newline);
            if (chunk.length() >= CHUNK) {
                out.print(chunk);
                chunk.setLength(0);
            }
        }
        out.print(chunk);
        out.flush();
    }

    private static void pad(StringBuilder line, int spaces) {
        for (int i = 0; i < spaces; i++) {
            line.append(' ');
        }
    }
}
