package katapult.plan;

import java.nio.file.Path;
import java.util.Map;

import katapult.config.JobSpec;
import katapult.env.EnvironmentPlan;

/**
 * A job ready to send: the bash command its runs execute, the files its work folder gets, and its identity.
 *
 * @param spec      the job as configured
 * @param env       its environment, or null
 * @param command   the bash script run in the work folder
 * @param workFiles name in the work folder → local file
 * @param workHashes name in the work folder → sha256 of its content
 * @param hash      identity: changes when anything that could change its results changes
 */
public record JobPlan(JobSpec spec, EnvironmentPlan env, String command, Map<String, Path> workFiles,
                      Map<String, String> workHashes, String hash) {

    public String name() {
        return spec.name();
    }

    public String uid(int repeat) {
        return hash.substring(0, 12) + "-" + repeat;
    }
}
