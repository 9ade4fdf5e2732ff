package katapult.state;

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
 */
public record RunRecord(String uid, String job, int repeat, int attempt, String instance, RunState state,
                        Integer exit, Long start, Long end, String reason, boolean submitted, boolean fetched) {

    public static RunRecord planned(String uid, String job, int repeat, String instance) {
        return new RunRecord(uid, job, repeat, 1, instance, RunState.WAIT, null, null, null, null, false, false);
    }

    /** The id of this attempt on the instance. */
    public String rid() {
        return uid + "." + attempt;
    }

    /** Finished, with nothing left to fetch (a run that never reached an instance has nothing). */
    public boolean settled() {
        return state.finished() && (fetched || !submitted);
    }

    public RunRecord withState(RunState newState, Integer newExit, Long newStart, Long newEnd, String newReason) {
        return new RunRecord(uid, job, repeat, attempt, instance, newState, newExit, newStart, newEnd, newReason,
                submitted, fetched);
    }

    public RunRecord withInstance(String newInstance) {
        return new RunRecord(uid, job, repeat, attempt, newInstance, state, exit, start, end, reason, submitted,
                fetched);
    }

    public RunRecord asSubmitted() {
        return new RunRecord(uid, job, repeat, attempt, instance, state, exit, start, end, reason, true, fetched);
    }

    public RunRecord withFetched(boolean isFetched) {
        return new RunRecord(uid, job, repeat, attempt, instance, state, exit, start, end, reason, submitted,
                isFetched);
    }

    /** A fresh attempt, possibly on another instance: nothing of the old one is carried over. */
    public RunRecord retried(String onInstance) {
        return new RunRecord(uid, job, repeat, attempt + 1, onInstance, RunState.WAIT, null, null, null, null,
                false, false);
    }
}
