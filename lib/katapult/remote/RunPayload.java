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
 */
public record RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                         Map<String, String> workFiles, Set<String> shared) {

    public RunPayload {
        shared = Set.copyOf(shared);
    }

    /** A run whose files are all private copies. */
    public RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                      Map<String, String> workFiles) {
        this(rid, command, envKey, cpus, outputs, workFiles, Set.of());
    }
}
