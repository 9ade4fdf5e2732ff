package katapult.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.config.OutputEntry;
import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.remote.UpstreamFile;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.transport.SafePaths;

/**
 * Jobs that wait for others ({@code after}): a run is held back until every run of the jobs it waits for is DONE
 * and fetched, then gets their outputs as inputs; it is ABORTED when one of them failed. Runs are looked up in the
 * state's uid index (a project may have many).
 */
final class Dependencies {

    private final Plan plan;
    private final Fetcher fetcher;

    Dependencies(Plan plan, Fetcher fetcher) {
        this.plan = plan;
        this.fetcher = fetcher;
    }

    /** Whether a run must still wait for the jobs before it. */
    boolean blocked(RunRecord run, Map<String, RunRecord> runs) {
        return blocked(run, runs, false);
    }

    /**
     * Whether a run must still wait for the jobs before it. On a batch scheduler's login node ({@code batch}) a run
     * whose upstream runs are submitted to its own instance and not failed may go at once: the scheduler holds its
     * task until theirs succeeded, and the task takes their outputs from their run folders.
     */
    boolean blocked(RunRecord run, Map<String, RunRecord> runs, boolean batch) {
        JobPlan job = job(run);
        for (JobPlan up : job.upstream()) {
            for (int repeat = 1; repeat <= up.runCount(); repeat++) {
                RunRecord before = runs.get(up.uid(repeat));
                if (before == null || !(fetchedDone(before) || batch && heldBySameScheduler(before, run))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean fetchedDone(RunRecord run) {
        return run.state() == RunState.DONE && run.fetched();
    }

    private static boolean heldBySameScheduler(RunRecord before, RunRecord run) {
        return before.submitted() && before.instance() != null && before.instance().equals(run.instance())
                && switch (before.state()) {
                    case WAIT, QUEUE, IDLE, RUNNING, DONE -> true;
                    default -> false;
                };
    }

    /** Why a run can never start (a run it waits for finished without success), if so. */
    Optional<String> failedUpstream(RunRecord run, Map<String, RunRecord> runs) {
        for (JobPlan up : job(run).upstream()) {
            for (int repeat = 1; repeat <= up.runCount(); repeat++) {
                RunRecord before = runs.get(up.uid(repeat));
                if (before != null && before.state() == RunState.ABORTED) {
                    return Optional.of("waited for " + up.name() + "/" + repeat + ", which was ABORTED");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The fetched upstream outputs a run of {@code job} gets, by their name in its work folder: a folder or pattern
     * output gives each file it brought, with the same layout.
     */
    Map<String, Path> inputs(JobPlan job, Map<String, RunRecord> runs) {
        Map<String, Path> files = new LinkedHashMap<>();
        job.upstreamInputs().forEach((name, from) -> {
            RunRecord before = upstream(from, runs);
            if (!fetchedDone(before)) {
                return;
            }
            OutputEntry entry = OutputEntry.of(from.output());
            Path folder = fetcher.folder(before);
            if (entry.many()) {
                String under = name.substring(0, name.length() - entry.path().length());
                fetcher.fetchedMatches(before, entry).forEach(rel -> files.put(under + rel, folder.resolve(rel)));
            } else {
                Path file = SafePaths.inside(folder, entry.path());
                if (!entry.optional() || Files.isRegularFile(file)) {
                    files.put(name, file);
                }
            }
        });
        return files;
    }

    /**
     * What a run of {@code job} needs of the upstream runs not fetched yet on its own instance (only on a batch
     * scheduler's login node): the outputs it takes from their run folders, by their name in its work folder, and
     * every such run, with outputs or not, whose task its own must wait for.
     */
    UpstreamOnInstance onInstance(JobPlan job, Map<String, RunRecord> runs) {
        Map<String, UpstreamFile> files = new LinkedHashMap<>();
        job.upstreamInputs().forEach((name, from) -> {
            RunRecord before = upstream(from, runs);
            if (!fetchedDone(before)) {
                files.put(name, new UpstreamFile(before.rid(), from.output()));
            }
        });
        List<String> awaited = new ArrayList<>();
        for (JobPlan up : job.upstream()) {
            for (int repeat = 1; repeat <= up.runCount(); repeat++) {
                RunRecord before = runs.get(up.uid(repeat));
                if (before != null && !fetchedDone(before)) {
                    awaited.add(before.rid());
                }
            }
        }
        return new UpstreamOnInstance(files, awaited);
    }

    private RunRecord upstream(JobPlan.UpstreamOutput from, Map<String, RunRecord> runs) {
        JobPlan up = plan.jobs().get(from.job());
        RunRecord before = runs.get(up.uid(from.repeat()));
        if (before == null) {
            throw new IllegalStateException("no record of run " + up.uid(from.repeat()));
        }
        return before;
    }

    private JobPlan job(RunRecord run) {
        return plan.run(run.uid()).orElseThrow().job();
    }
}
