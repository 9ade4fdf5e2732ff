import java.nio.file.Path;
import java.util.Arrays;

import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.state.StateStore;

/**
 * Times the saves of a project's state that each change one run (marked DONE, as a poll round does), through
 * {@link StateStore}; prints the load time and the median and worst save. Arguments: the project's state folder,
 * the number of saves.
 */
public final class ScaleSave {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int saves = Integer.parseInt(args[1]);
        try (StateStore store = StateStore.open(dir)) {
            long t0 = System.nanoTime();
            ProjectState state = store.load().orElseThrow();
            long loaded = System.nanoTime() - t0;
            long[] times = new long[saves];
            for (int i = 0; i < saves; i++) {
                RunRecord run = state.runs().get(i * (state.runs().size() / saves));
                long s = System.nanoTime();
                state = state.updateRun(run.uid(), r -> r.withState(RunState.DONE, 0, 1L, 2L, null));
                store.save(state);
                times[i] = System.nanoTime() - s;
            }
            Arrays.sort(times);
            System.out.printf("  %-26s %8.3f s%n", "load (in one JVM)", loaded / 1e9);
            System.out.printf("  %-26s %8.3f s (worst %.3f s, %d saves)%n", "save of 1 run (median)",
                    times[saves / 2] / 1e9, times[saves - 1] / 1e9, saves);
        }
    }
}
