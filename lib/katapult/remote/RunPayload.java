package katapult.remote;

import java.util.List;
import java.util.Map;

/**
 * A run as the instance receives it.
 *
 * @param rid       remote run id: {@code <run uid>.<attempt>}
 * @param command   the bash script run in the run's work folder
 * @param envKey    the environment folder it needs ready first, or null
 * @param cpus      cpus it holds while running
 * @param outputs   paths relative to work/ that must exist after success
 * @param workFiles files copied from the content store into work/, name → sha256
 */
public record RunPayload(String rid, String command, String envKey, int cpus, List<String> outputs,
                         Map<String, String> workFiles) {
}
