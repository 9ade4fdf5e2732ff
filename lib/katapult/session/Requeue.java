package katapult.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import katapult.config.DidYouMean;
import katapult.remote.ReasonCode;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.state.RunTransitions;

/**
 * {@code katapult retry}: puts ABORTED runs back in the queue, each as a fresh attempt, never a DONE one. The runs
 * ABORTED only because a run they wait for ({@code after}) was ABORTED go with it. A selected run whose last attempt
 * still has its logs on its instance is fetched first (so that the instance's record of it is acknowledged and its
 * logs are home); one that cannot be fetched now is left as it is and named. The whole change is one save of the
 * state: a process killed before it changed nothing, after it every selected run waits for the next run or wait.
 */
final class Requeue {

    private final Workload work;
    private final StateKeeper keeper;
    private final Fetcher fetcher;
    private final Runnable fetchFinished;
    private final Checkpoints checkpoints;

    Requeue(Workload work, StateKeeper keeper, Fetcher fetcher, Checkpoints checkpoints, Runnable fetchFinished) {
        this.checkpoints = checkpoints;
        this.work = work;
        this.keeper = keeper;
        this.fetcher = fetcher;
        this.fetchFinished = fetchFinished;
    }

    /**
     * Re-queues the ABORTED runs of {@code job} (null: of every job); with {@code failedOnly}, only those whose attempt
     * failed by its own doing (see {@link #failed}).
     */
    Retried retry(boolean failedOnly, String job) {
        checkJob(job);
        Predicate<RunRecord> wanted = run -> run.state() == RunState.ABORTED
                && (job == null || job.equals(run.job())) && (!failedOnly || failed(run));
        if (work.records().stream().anyMatch(run -> wanted.test(run) && !run.settled())) {
            fetchFinished.run();
        }
        List<RunRecord> selected = work.records().stream().filter(wanted).toList();
        List<RunRecord> unfetched = selected.stream().filter(run -> !run.settled()).toList();
        Set<String> uids = new LinkedHashSet<>();
        selected.stream().filter(RunRecord::settled).forEach(run -> uids.add(run.uid()));
        addDependents(uids);
        List<RunRecord> requeued = new ArrayList<>();
        if (!uids.isEmpty()) {
            keeper.update(state -> state.updateRuns(uids, run -> RunTransitions.apply(run,
                    new RunTransitions.Requeued())));
            // a fresh attempt starts clean: a checkpoint an earlier preemption left is not for it
            uids.forEach(checkpoints::forget);
            Map<String, RunRecord> now = keeper.runsByUid();
            work.records().stream().filter(run -> uids.contains(run.uid())).forEach(run -> requeued.add(now.get(run.uid())));
        }
        return new Retried(requeued, unfetched);
    }

    /**
     * Whether a run's last attempt failed by its own doing: it ran and exited non-zero (or was killed by a signal),
     * or it did not produce a declared output. Not: a run stopped, lost or preempted too often, abandoned because
     * its instance could not be made, given up with its results, or waiting for a run that was ABORTED.
     */
    static boolean failed(RunRecord run) {
        if (run.state() != RunState.ABORTED) {
            return false;
        }
        if (run.exit() != null && run.exit() != 0) {
            return true;
        }
        ReasonCode code = ReasonCode.of(null, run.reason());
        return code != null && code.failure();
    }

    /** Adds the ABORTED runs that never started only because a run now in {@code uids} was ABORTED, to a fixpoint. */
    private void addDependents(Set<String> uids) {
        Dependencies dependencies = new Dependencies(work.plan(), fetcher);
        Map<String, RunRecord> before = keeper.runsByUid();
        boolean grew = !uids.isEmpty();
        while (grew) {
            Map<String, RunRecord> after = new HashMap<>(before);
            uids.forEach(uid -> after.put(uid, before.get(uid).requeued()));
            grew = false;
            for (RunRecord run : work.records()) {
                if (run.state() == RunState.ABORTED && !run.submitted() && !uids.contains(run.uid())
                        && dependencies.failedUpstream(run, before).isPresent()
                        && dependencies.failedUpstream(run, after).isEmpty()) {
                    uids.add(run.uid());
                    grew = true;
                }
            }
        }
    }

    private void checkJob(String job) {
        if (job == null || work.plan().jobs().containsKey(job)) {
            return;
        }
        Set<String> names = work.plan().jobs().keySet();
        throw new SessionException("no job '" + job + "' in project " + work.config().project()
                + DidYouMean.hint(job, names) + " (its jobs: " + String.join(", ", names) + ")");
    }
}
