package katapult.plan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import katapult.config.JobSpec;
import katapult.config.OutputEntry;
import katapult.env.EnvironmentPlan;
import katapult.util.Hashes;

/**
 * A job ready to send: the bash command its runs execute, the files its work folder gets, and its identity.
 *
 * @param spec      the job as configured
 * @param env       its environment, or null
 * @param command   the bash script run in the work folder, before a run's variables and parameters are put in
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

    /** How many runs: one per point of the grid, {@code repeat} times each. */
    public int runCount() {
        return spec.runCount();
    }

    /**
     * The uid of run {@code index} (1-based, over the whole grid): a job without a grid keeps its hash's prefix; a
     * swept run's prefix hashes its parameters too, so that a run of other parameters never takes its place.
     */
    public String uid(int index) {
        if (spec.sweep().isEmpty()) {
            return hash.substring(0, 12) + "-" + index;
        }
        StringBuilder text = new StringBuilder(hash).append('\n');
        params(index).forEach((name, value) -> text.append("param ").append(name).append('=').append(value)
                .append('\n'));
        text.append("repeat ").append((index - 1) % spec.repeat() + 1).append('\n');
        return Hashes.of(text.toString()).substring(0, 12) + "-" + index;
    }

    /** The parameters of run {@code index} (1-based): the runs of one point are consecutive. */
    public Map<String, String> params(int index) {
        return spec.sweep().isEmpty() ? Map.of() : spec.sweep().point((index - 1) / spec.repeat());
    }

    /** The bash script run {@code index} executes: its variables, then the job's command with its parameters. */
    public String command(int index) {
        return RunCommands.of(this, index);
    }

    /**
     * Where each upstream output lands in this job's work folder, keyed by that name: an upstream job with one run
     * gives its outputs under their own names, one with several runs under {@code <job>/<repeat>/<output>}. A folder
     * or pattern output is keyed by its path: the files it matched land under that name's folder with their own path.
     */
    public Map<String, UpstreamOutput> upstreamInputs() {
        Map<String, UpstreamOutput> inputs = new LinkedHashMap<>();
        for (JobPlan up : upstream) {
            for (int repeat = 1; repeat <= up.runCount(); repeat++) {
                for (String output : up.spec().outputFiles()) {
                    String path = OutputEntry.of(output).path();
                    String name = up.runCount() == 1 ? path : up.name() + "/" + repeat + "/" + path;
                    inputs.put(name, new UpstreamOutput(up.name(), repeat, output));
                }
            }
        }
        return inputs;
    }

    /** One output of one run of an upstream job. */
    public record UpstreamOutput(String job, int repeat, String output) { }
}
