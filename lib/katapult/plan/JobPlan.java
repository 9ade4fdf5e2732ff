package katapult.plan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param upstream  the jobs it waits for ({@code after}), planned
 * @param hash      identity: changes when anything that could change its results changes, upstream jobs included
 */
public record JobPlan(JobSpec spec, EnvironmentPlan env, String command, Map<String, Path> workFiles,
                      Map<String, String> workHashes, List<JobPlan> upstream, String hash) {

    public String name() {
        return spec.name();
    }

    public String uid(int repeat) {
        return hash.substring(0, 12) + "-" + repeat;
    }

    /**
     * Where each upstream output lands in this job's work folder, keyed by that name: an upstream job with one run
     * gives its outputs under their own names, one with several runs under {@code <job>/<repeat>/<output>}.
     */
    public Map<String, UpstreamOutput> upstreamInputs() {
        Map<String, UpstreamOutput> inputs = new LinkedHashMap<>();
        for (JobPlan up : upstream) {
            for (int repeat = 1; repeat <= up.spec().repeat(); repeat++) {
                for (String output : up.spec().outputFiles()) {
                    String name = up.spec().repeat() == 1 ? output : up.name() + "/" + repeat + "/" + output;
                    inputs.put(name, new UpstreamOutput(up.name(), repeat, output));
                }
            }
        }
        return inputs;
    }

    /** One output of one run of an upstream job. */
    public record UpstreamOutput(String job, int repeat, String output) { }
}
