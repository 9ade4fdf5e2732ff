package katapult.session;

import java.util.List;

import katapult.state.RunRecord;
import katapult.state.RunState;

/**
 * Where a set of runs stands, on one line: {@code 12 run(s): 5 done, 3 running, 1 failed, 3 waiting; ETA 2m10s}.
 * The ETA assumes the runs left take the mean duration of the finished ones, as many at a time as run now: the
 * waiting runs go in waves of that many, after the running ones end. No ETA before a run finished.
 */
public final class ProgressLine {

    private ProgressLine() {
    }

    /** The line for {@code runs} at {@code now} (epoch seconds). */
    public static String of(List<RunRecord> runs, long now) {
        int done = 0;
        int running = 0;
        int failed = 0;
        long finishedSeconds = 0;
        int timed = 0;
        long runningSeconds = 0;
        for (RunRecord r : runs) {
            if (r.state() == RunState.DONE) {
                done++;
            } else if (r.state() == RunState.ABORTED) {
                failed++;
            } else if (r.state() == RunState.RUNNING) {
                running++;
                runningSeconds += r.start() == null ? 0 : Math.max(0, now - r.start());
            }
            if (r.state().finished() && r.start() != null && r.end() != null) {
                finishedSeconds += Math.max(0, r.end() - r.start());
                timed++;
            }
        }
        int waiting = runs.size() - done - running - failed;
        String line = runs.size() + " run(s): " + done + " done, " + running + " running, " + failed + " failed, "
                + waiting + " waiting";
        Long eta = eta(waiting, running, timed == 0 ? null : (double) finishedSeconds / timed,
                running == 0 ? 0 : (double) runningSeconds / running);
        return eta == null ? line : line + "; ETA " + duration(eta);
    }

    /** {@code 45s}, {@code 2m10s}, {@code 3h05m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format("%02ds", seconds % 60);
        }
        return seconds / 3600 + "h" + String.format("%02dm", seconds % 3600 / 60);
    }

    /** Seconds until the runs left are done, or null when nothing finished yet or nothing is left. */
    static Long eta(int waiting, int running, Double meanSeconds, double meanRunningFor) {
        if (meanSeconds == null || waiting + running == 0) {
            return null;
        }
        int slots = Math.max(running, 1);
        double runningLeft = running == 0 ? 0 : Math.max(0, meanSeconds - meanRunningFor);
        double waves = Math.ceil(waiting / (double) slots);
        return Math.round(runningLeft + waves * meanSeconds);
    }
}
