package katapult.plan;

import java.util.Map;

/**
 * One run of a job: {@code repeat} is its 1-based index over the job's grid and repeats (it names the run's results
 * folder); {@code uid} is the job's identity plus that index (and the run's parameters when the job has a grid).
 */
public record RunPlan(String uid, JobPlan job, int repeat) {

    /** The run's parameters, by name in the order written (empty for a job without a grid). */
    public Map<String, String> params() {
        return job.params(repeat);
    }

    /** The bash script this run executes. */
    public String command() {
        return job.command(repeat);
    }
}
