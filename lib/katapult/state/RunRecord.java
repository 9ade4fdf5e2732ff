package katapult.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What Katapult knows of one run of a job.
 *
 * @param uid       job hash prefix + "-" + repeat index: stable across sessions
 * @param job       job name (names the results folder)
 * @param repeat    1-based repeat index
 * @param attempt   1 for the first submission, +1 for each re-submission after a loss or a retry
 * @param instance  instance it is assigned to
 * @param state     last known state
 * @param exit      exit code once finished
 * @param start     epoch seconds it started, or null
 * @param end       epoch seconds it ended, or null
 * @param reason    why it was ABORTED
 * @param submitted its folder and queue entry are on the instance
 * @param fetched   its outputs and logs are in the results folder
 * @param retries   failed attempts that were tried again ({@code max_retries}); 0 in states written before it
 * @param preemptions spot interruptions it went through ({@code max_preemptions}); they take no attempt
 * @param halts     times Katapult stopped its instance under it on purpose ({@code max_cost}); they take no attempt
 * @param requeuedAfter attempts it had taken when {@code katapult retry} last re-queued it: the counters above count
 *                      from there, so a re-queued run gets its whole budget again; 0 when never re-queued
 */
public record RunRecord(String uid, String job, int repeat, int attempt, String instance, RunState state,
                        Integer exit, Long start, Long end, String reason, boolean submitted, boolean fetched,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int retries,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int preemptions,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int halts,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int requeuedAfter) {

    /** A run that was never retried after a failure nor preempted. */
    public RunRecord(String uid, String job, int repeat, int attempt, String instance, RunState state, Integer exit,
                     Long start, Long end, String reason, boolean submitted, boolean fetched) {
        this(uid, job, repeat, attempt, instance, state, exit, start, end, reason, submitted, fetched, 0, 0, 0, 0);
    }

    /** A run never halted by {@code max_cost} nor re-queued by {@code katapult retry}. */
    public RunRecord(String uid, String job, int repeat, int attempt, String instance, RunState state, Integer exit,
                     Long start, Long end, String reason, boolean submitted, boolean fetched, int retries,
                     int preemptions) {
        this(uid, job, repeat, attempt, instance, state, exit, start, end, reason, submitted, fetched, retries,
                preemptions, 0, 0);
    }

    public static RunRecord planned(String uid, String job, int repeat, String instance) {
        return new RunRecord(uid, job, repeat, 1, instance, RunState.WAIT, null, null, null, null, false, false);
    }

    /**
     * The id of this attempt on the instance: {@code <uid>.<attempt>}, then {@code .p<n>} after n preemptions and
     * {@code .h<n>} after n halts, so that the same attempt sent again never meets its old folder.
     */
    public String rid() {
        return uid + "." + attempt + (preemptions > 0 ? ".p" + preemptions : "") + (halts > 0 ? ".h" + halts : "");
    }

    /** Attempts taken by losses (not by retries after a failure): what {@code MAX_ATTEMPTS} bounds. */
    public int lossAttempts() {
        return attempt - retries - requeuedAfter;
    }

    /** Finished, with nothing left to fetch (a run that never reached an instance has nothing). */
    public boolean settled() {
        return state.finished() && (fetched || !submitted);
    }

    public RunRecord withState(RunState newState, Integer newExit, Long newStart, Long newEnd, String newReason) {
        return new RunRecord(uid, job, repeat, attempt, instance, newState, newExit, newStart, newEnd, newReason,
                submitted, fetched, retries, preemptions, halts, requeuedAfter);
    }

    public RunRecord withInstance(String newInstance) {
        return new RunRecord(uid, job, repeat, attempt, newInstance, state, exit, start, end, reason, submitted,
                fetched, retries, preemptions, halts, requeuedAfter);
    }

    public RunRecord asSubmitted() {
        return new RunRecord(uid, job, repeat, attempt, instance, state, exit, start, end, reason, true, fetched,
                retries, preemptions, halts, requeuedAfter);
    }

    public RunRecord withFetched(boolean isFetched) {
        return new RunRecord(uid, job, repeat, attempt, instance, state, exit, start, end, reason, submitted,
                isFetched, retries, preemptions, halts, requeuedAfter);
    }

    /** A fresh attempt, possibly on another instance: nothing of the old one is carried over but the counters. */
    public RunRecord retried(String onInstance) {
        return new RunRecord(uid, job, repeat, attempt + 1, onInstance, RunState.WAIT, null, null, null, null,
                false, false, retries, preemptions, halts, requeuedAfter);
    }

    /** A fresh attempt after a failure, counted against {@code max_retries}. */
    public RunRecord retriedAfterFailure() {
        return new RunRecord(uid, job, repeat, attempt + 1, instance, RunState.WAIT, null, null, null, null,
                false, false, retries + 1, preemptions, halts, requeuedAfter);
    }

    /**
     * The same attempt taken off its instance, which got a spot interruption notice: PREEMPTED until placed again
     * (it keeps the instance it was on, which placement avoids while it goes away).
     */
    public RunRecord preempted(String why) {
        return new RunRecord(uid, job, repeat, attempt, instance, RunState.PREEMPTED, null, null, null, why,
                false, false, retries, preemptions + 1, halts, requeuedAfter);
    }

    /**
     * The same attempt taken off its instance, which Katapult stopped on purpose: it waits again on that instance,
     * under a new folder (see {@link #rid}), its attempt and counters of losses, retries and preemptions unchanged.
     */
    public RunRecord halted() {
        return new RunRecord(uid, job, repeat, attempt, instance, RunState.WAIT, null, null, null, null,
                false, false, retries, preemptions, halts + 1, requeuedAfter);
    }

    /**
     * A fresh attempt of an ABORTED run asked for by {@code katapult retry}: not placed yet, and with its whole budget
     * of losses, retries and preemptions again (the attempt number goes on, so its folder on an instance is new).
     */
    public RunRecord requeued() {
        return new RunRecord(uid, job, repeat, attempt + 1, null, RunState.WAIT, null, null, null, null,
                false, false, 0, 0, 0, attempt);
    }
}
