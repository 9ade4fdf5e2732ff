package katapult.session;

import katapult.state.RunRecord;
import katapult.state.RunState;

/**
 * A run as the faces show it.
 *
 * @param run        what the state holds
 * @param stderrTail last lines of its stderr when it was ABORTED and its logs were fetched
 */
public record RunView(RunRecord run, String stderrTail) {

    public RunState state() {
        return run.state();
    }

    /** Seconds it ran (so far), or null when it has not started. */
    public Long elapsedSeconds(long nowEpochSeconds) {
        if (run.start() == null) {
            return null;
        }
        return (run.end() != null ? run.end() : nowEpochSeconds) - run.start();
    }
}
