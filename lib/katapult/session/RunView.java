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

    // Bean-style getters, so Groovy (the REPL, scripts) can write it.state, it.job, it.exit ...

    public RunState getState() {
        return state();
    }

    public String getJob() {
        return run.job();
    }

    public int getRepeat() {
        return run.repeat();
    }

    public String getInstance() {
        return run.instance();
    }

    public Integer getExit() {
        return run.exit();
    }

    public String getReason() {
        return run.reason();
    }

    /** Seconds it ran (so far), or null when it has not started. */
    public Long elapsedSeconds(long nowEpochSeconds) {
        if (run.start() == null) {
            return null;
        }
        return (run.end() != null ? run.end() : nowEpochSeconds) - run.start();
    }
}
