package katapult.remote;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run as the instance receives it.
 *
 * @param rid       remote run id: {@code <run uid>.<attempt>}
 * @param command   the bash script run in the run's work folder
 * @param envKey    the environment folder it needs ready first, or null
 * @param cpus      cpus it holds while running
 * @param outputs   paths relative to work/ that must exist after success
 * @param workFiles files placed from the content store into work/, name → sha256
 * @param shared    names of {@code workFiles} the run sees read-only, shared with every run of the instance (a hard
 *                  link into the content store); the others are private writable copies
 * @param copiedNow names of private {@code workFiles} small enough ({@link #COPY_NOW_BELOW}) to be copied when the run
 *                  is written; the other private copies are made when it starts, so that a queued run takes no disk
 */
public record RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                         Map<String, String> workFiles, Set<String> shared, Set<String> copiedNow) {

    /**
     * Bytes under which a private copy is made at once: no more disk than the run folder's own dozen small files,
     * and one process where a copy made at start costs four (the agent's size check, run.sh's copy, rename and
     * clean-up).
     */
    public static final long COPY_NOW_BELOW = 64 * 1024;

    public RunPayload {
        shared = Set.copyOf(shared);
        copiedNow = Set.copyOf(copiedNow);
    }

    /** A run whose private copies are all made when it starts. */
    public RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                      Map<String, String> workFiles, Set<String> shared) {
        this(rid, command, envKey, cpus, outputs, workFiles, shared, Set.of());
    }

    /** A run whose files are all private copies, made when it starts. */
    public RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                      Map<String, String> workFiles) {
        this(rid, command, envKey, cpus, outputs, workFiles, Set.of(), Set.of());
    }

    /** How deploy.sh's {@code d_run} places the file {@code name}: {@code link}, {@code copy-now} or {@code copy}. */
    public String placement(String name) {
        return shared.contains(name) ? "link" : copiedNow.contains(name) ? "copy-now" : "copy";
    }
}
