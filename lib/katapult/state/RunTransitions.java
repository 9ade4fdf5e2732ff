package katapult.state;

/**
 * The one place a run's record changes: given a record and what happened to it, {@link #apply} returns the new
 * record. It owns the three counters: attempts taken by losses (a lost run goes again as a fresh attempt, up to
 * {@link #MAX_ATTEMPTS}), retries after a failure (a fresh attempt each, up to the job's {@code max_retries}) and
 * preemptions (the same attempt placed again, up to the job's {@code max_preemptions}); the times (start and end come
 * from the agent; a new attempt starts without them) and the flags (submitted, fetched). It refuses what cannot
 * happen: a finished run never runs again, a run is fetched only once finished.
 */
public final class RunTransitions {

    /** Attempts a run gets before a loss makes it ABORTED. */
    public static final int MAX_ATTEMPTS = 3;

    /** What can happen to a run. */
    public sealed interface Change permits Placed, Submitted, Seen, Failed, Preempted, Unreachable, Lost, Abandoned,
            ResultsLost, Fetched, Unfetched, Halted, Requeued {
    }

    /** The assignment placed the run on an instance (it is not on any yet, or was preempted off one). */
    public record Placed(String instance) implements Change {
    }

    /** Its folder and queue entry were written on its instance. */
    public record Submitted() implements Change {
    }

    /** The agent reported the run in {@code state}, with its exit code, times and reason (null when none). */
    public record Seen(RunState state, Integer exit, Long start, Long end, String reason) implements Change {
    }

    /**
     * The agent reported the run failed ({@code seen}: ABORTED by its own doing, a non-zero exit or a missing output):
     * it goes again as a fresh attempt while it has had fewer than {@code maxRetries} retries, else stays ABORTED.
     */
    public record Failed(Seen seen, int maxRetries) implements Change {
    }

    /**
     * Its spot instance got an interruption notice ({@code why}): the same attempt waits, PREEMPTED, to be placed again
     * (no attempt is taken), unless it has been preempted {@code maxPreemptions} times already: then ABORTED.
     */
    public record Preempted(String why, int maxPreemptions) implements Change {
    }

    /** Its instance cannot be reached: its state is unknown until it answers. */
    public record Unreachable() implements Change {
    }

    /** The run died through no fault of its own ({@code why}): it goes again, or gives up after its attempts. */
    public record Lost(String why) implements Change {
    }

    /** The run can never start or go on ({@code reason}): ABORTED as it is. */
    public record Abandoned(String reason) implements Change {
    }

    /** The run finished but its results are given up ({@code reason}): ABORTED, with nothing left to fetch. */
    public record ResultsLost(String reason) implements Change {
    }

    /**
     * Katapult stopped the run's instance on purpose (the spend cap): the run waits again as the same attempt (it is
     * no loss, retry nor preemption), under a new folder on the instance, and is never ABORTED for it.
     */
    public record Halted() implements Change {
    }

    /**
     * The user asked for an ABORTED run to go again ({@code katapult retry}): a fresh attempt, not placed yet, with its
     * whole budget again. Only an ABORTED run whose results are home (or that never reached an instance) may: a DONE
     * run never runs again, and an attempt whose logs are still on its instance is fetched first.
     */
    public record Requeued() implements Change {
    }

    /** Its results are in the results folder. */
    public record Fetched() implements Change {
    }

    /** Its fetched results were deleted from the results folder: they are fetched again. */
    public record Unfetched() implements Change {
    }

    /** A change the run's record cannot take; a bug in the caller, never the user's doing. */
    public static final class IllegalTransition extends StateException {
        IllegalTransition(RunRecord run, Change change, String why) {
            super("run " + run.uid() + " (" + run.state() + (run.submitted() ? ", submitted" : "")
                    + (run.fetched() ? ", fetched" : "") + ") cannot take " + change + ": " + why);
        }
    }

    private RunTransitions() {
    }

    /**
     * The record of {@code run} after {@code change}.
     *
     * @throws IllegalTransition when the change cannot happen to the run as it is
     */
    public static RunRecord apply(RunRecord run, Change change) {
        if (change instanceof Placed placed) {
            refuseIf(run.submitted() || run.state().finished(), run, change, "it is already on its way");
            RunRecord moved = run.withInstance(placed.instance());
            return run.state() == RunState.PREEMPTED
                    ? moved.withState(RunState.WAIT, null, null, null, run.reason()) : moved;
        }
        if (change instanceof Submitted) {
            refuseIf(run.state().finished(), run, change, "it is finished");
            refuseIf(run.instance() == null, run, change, "it has no instance");
            return run.asSubmitted();
        }
        if (change instanceof Seen seen) {
            return seen(run, seen);
        }
        if (change instanceof Failed failed) {
            refuseIf(failed.seen().state() != RunState.ABORTED, run, change, "a failure is ABORTED");
            RunRecord seen = seen(run, failed.seen());
            return run.state().finished() || run.retries() >= failed.maxRetries() ? seen : run.retriedAfterFailure();
        }
        if (change instanceof Fetched) {
            refuseIf(!run.state().finished() || !run.submitted(), run, change, "it has no results to fetch");
            return run.withFetched(true);
        }
        if (change instanceof Unfetched) {
            return run.withFetched(false);
        }
        if (change instanceof Requeued) {
            refuseIf(run.state() != RunState.ABORTED, run, change, "only an ABORTED run is re-queued");
            refuseIf(!run.settled(), run, change, "its results are not fetched yet");
            return run.requeued();
        }
        if (change instanceof ResultsLost lost) {
            refuseIf(!run.state().finished(), run, change, "it is not finished");
            return run.withState(RunState.ABORTED, run.exit(), run.start(), run.end(), lost.reason()).withFetched(true);
        }
        refuseIf(run.state().finished(), run, change, "it is finished");
        if (change instanceof Lost lost) {
            return run.lossAttempts() >= MAX_ATTEMPTS
                    ? run.withState(RunState.ABORTED, null, run.start(), run.end(),
                            lost.why() + " (given up after " + MAX_ATTEMPTS + " attempts)")
                    : run.retried(run.instance());
        }
        if (change instanceof Preempted preempted) {
            refuseIf(!run.submitted(), run, change, "it is not on an instance");
            return run.preemptions() >= preempted.maxPreemptions()
                    ? run.withState(RunState.ABORTED, null, run.start(), run.end(), preempted.why()
                            + " (given up after " + run.preemptions() + " preemptions: max_preemptions)")
                    : run.preempted(preempted.why());
        }
        if (change instanceof Halted) {
            return run.submitted() ? run.halted() : run;
        }
        if (change instanceof Abandoned abandoned) {
            return run.withState(RunState.ABORTED, null, run.start(), run.end(), abandoned.reason());
        }
        return run.withState(RunState.UNKNOWN, run.exit(), run.start(), run.end(), run.reason()); // Unreachable
    }

    /** An agent's report: a run that finished stays finished (a DONE run never runs twice). */
    private static RunRecord seen(RunRecord run, Seen seen) {
        refuseIf(!run.submitted(), run, seen, "it is not on its instance");
        refuseIf(run.state().finished() && seen.state() != run.state(), run, seen, "it is already finished");
        Long start = seen.start() != null ? seen.start() : run.start();
        Long end = seen.state().finished() ? seen.end() : null;
        return run.withState(seen.state(), seen.exit(), start, end, seen.reason());
    }

    private static void refuseIf(boolean illegal, RunRecord run, Change change, String why) {
        if (illegal) {
            throw new IllegalTransition(run, change, why);
        }
    }
}
