package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.state.RunRecord;

/**
 * Keeps {@code results/<project>/<job>/runs.csv} up to date while a session goes: a job's file is written again
 * (whole, through a temporary file renamed over it) whenever one of its runs changed state, attempt, instance or
 * fetch, so the table is useful while a sweep goes on and never read half-written.
 */
final class RunsCsvWriter {

    private final Supplier<Plan> plan;
    private final Supplier<Map<String, Double>> shares;
    private final Consumer<Event> listener;
    private final RunsTables tables;
    private final Map<String, Integer> written = new HashMap<>();

    RunsCsvWriter(Supplier<Plan> plan, Fetcher fetcher, Supplier<Map<String, Double>> shares,
                  Consumer<Event> listener) {
        this.plan = plan;
        this.shares = shares;
        this.listener = listener;
        this.tables = new RunsTables(fetcher, (run, why) -> listener.accept(new Event.Warning(why)));
    }

    /** Writes the table of every job whose runs changed since it was last written. */
    void update(List<RunRecord> records) {
        Plan current = plan.get();
        Map<String, Map<String, RunRecord>> byJob = new LinkedHashMap<>();
        for (RunRecord r : records) {
            if (r != null) {
                byJob.computeIfAbsent(r.job(), j -> new HashMap<>()).put(r.uid(), r);
            }
        }
        Map<String, Double> costs = null;
        Map<String, String[]> uids = null;
        for (Map.Entry<String, Map<String, RunRecord>> e : byJob.entrySet()) {
            JobPlan job = current.jobs().get(e.getKey());
            int print = fingerprint(job, e.getValue());
            if (job == null || Objects.equals(written.get(job.name()), print)) {
                continue;
            }
            costs = costs == null ? shares.get() : costs;
            uids = uids == null ? RunsTables.uidsByJob(current) : uids;
            if (write(tables.table(job, uids.get(job.name()), e.getValue(), costs))) {
                written.put(job.name(), print);
            }
        }
    }

    private static int fingerprint(JobPlan job, Map<String, RunRecord> runs) {
        int h = job == null ? 0 : job.hash().hashCode();
        for (RunRecord r : runs.values()) {
            h += Objects.hash(r.uid(), r.state(), r.attempt(), r.instance(), r.fetched(), r.start(), r.end());
        }
        return h;
    }

    private boolean write(RunsTable table) {
        Path file = tables.csvFile(table.job());
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling("runs.csv.part");
            Files.writeString(part, table.csv());
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            listener.accept(new Event.Warning("cannot write " + file + ": " + e.getMessage()));
            return false;
        }
    }
}
