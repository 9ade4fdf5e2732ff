package katapult.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import katapult.cost.ProjectCost;
import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.transport.SafePaths;

/**
 * Builds the {@link RunsTable} of each job from its runs' records, its runs' parameters and their fetched metrics
 * files. Metrics are read once per attempt and kept; a file that cannot be read is told once and leaves its cells
 * empty.
 */
public final class RunsTables {

    private final Fetcher fetcher;
    private final BiConsumer<RunRecord, String> badMetrics;
    private final Map<String, Map<String, String>> metricsByRid = new LinkedHashMap<>();

    RunsTables(Fetcher fetcher, BiConsumer<RunRecord, String> badMetrics) {
        this.fetcher = fetcher;
        this.badMetrics = badMetrics;
    }

    /** The tables of a session's jobs, in config order, with each run's share of {@code cost} (null: free). */
    public static List<RunsTable> of(Session session, ProjectCost cost) {
        // the state's records by uid: only the plan's uids are looked up, and no run view (stderr tail) is built
        Map<String, RunRecord> records = session.state().runsByUid();
        RunsTables tables = new RunsTables(new Fetcher(session.resultsFolder()), (run, why) -> { });
        Map<String, Double> shares = cost == null ? Map.of() : cost.runs();
        Map<String, String[]> uids = uidsByJob(session.plan());
        return session.plan().jobs().values().stream()
                .map(job -> tables.table(job, uids.get(job.name()), records, shares)).toList();
    }

    /** Each job's run uids by index (0-based), as the plan computed them: a swept run's uid is a hash. */
    static Map<String, String[]> uidsByJob(Plan plan) {
        Map<String, String[]> uids = new HashMap<>();
        for (RunPlan run : plan.runs()) {
            String[] ofJob = uids.computeIfAbsent(run.job().name(), name -> new String[run.job().runCount()]);
            ofJob[run.repeat() - 1] = run.uid();
        }
        return uids;
    }

    /** The same tables as the {@code jobs} field of {@code status --json}, {@code run --json} and {@code wait --json}. */
    public static List<Map<String, Object>> json(Session session, ProjectCost cost) {
        return of(session, cost).stream().map(RunsTable::json).toList();
    }

    /** The table of {@code job}; runs without a record yet are left out. */
    RunsTable table(JobPlan job, Map<String, RunRecord> records, Map<String, Double> shares) {
        return table(job, null, records, shares);
    }

    /** {@link #table(JobPlan, Map, Map)} with the job's uids known ({@code uids[index - 1]}; null: computed). */
    RunsTable table(JobPlan job, String[] uids, Map<String, RunRecord> records, Map<String, Double> shares) {
        List<RunsTable.Row> rows = new ArrayList<>();
        Set<String> reserved = new HashSet<>(List.of("run", "uid"));
        reserved.addAll(job.spec().sweep().names());
        reserved.addAll(RunsTable.FIXED);
        Set<String> metricNames = new LinkedHashSet<>();
        for (int index = 1; index <= job.runCount(); index++) {
            RunRecord run = records.get(uids != null ? uids[index - 1] : job.uid(index));
            if (run == null) {
                continue;
            }
            Map<String, String> metrics = new LinkedHashMap<>();
            metrics(job, run).forEach((k, v) -> metrics.put(reserved.contains(k) ? "metric_" + k : k, v));
            metricNames.addAll(metrics.keySet());
            Long duration = run.start() != null && run.end() != null ? Math.max(0, run.end() - run.start()) : null;
            rows.add(new RunsTable.Row(index, run.uid(), job.params(index), run.state().name(), run.exit(),
                    run.attempt(), run.start(), run.end(), duration, run.instance(), shares.get(run.uid()), metrics));
        }
        return new RunsTable(job.name(), job.spec().sweep().names(), new ArrayList<>(metricNames), rows);
    }

    /** Where a job's table is written. */
    Path csvFile(String job) {
        return SafePaths.inside(fetcher.root(), job + "/runs.csv");
    }

    private Map<String, String> metrics(JobPlan job, RunRecord run) {
        String file = job.spec().metricsFile();
        if (file == null || run.state() != RunState.DONE || !run.fetched()) {
            return Map.of();
        }
        return metricsByRid.computeIfAbsent(run.rid(), rid -> {
            try {
                return MetricsFile.read(SafePaths.inside(fetcher.folder(run), file));
            } catch (MetricsFile.Bad bad) {
                badMetrics.accept(run, "metrics file '" + file + "' of " + run.job() + "/" + run.repeat()
                        + " left out of runs.csv: " + bad.getMessage());
                return Map.of();
            }
        });
    }
}
