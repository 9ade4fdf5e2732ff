package katapult.plan;

/** One run of a job: {@code uid} is the job's identity plus the repeat index. */
public record RunPlan(String uid, JobPlan job, int repeat) {
}
