package katapult.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.provider.BatchScheduler.BatchArray;
import katapult.state.RunRecord;
import katapult.util.Hashes;

/**
 * The job arrays a submission to a batch scheduler's login node makes: one per job, one task per run. An array's
 * name carries the project, the job and a hash of its runs' ids, so a Katapult that sends the same submission again
 * (killed before it saved that it was sent) finds the array by its name and submits nothing twice.
 */
public final class BatchArrays {

    private BatchArrays() {
    }

    /** One array to submit: the scheduler's view of it and the run ids of its tasks, in task order. */
    public record Submission(JobPlan job, BatchArray array, List<String> rids) {
    }

    /** The arrays of a submission of {@code runs} (records of the plan's runs). */
    static List<Submission> of(String project, Plan plan, List<RunRecord> runs) {
        Map<JobPlan, List<String>> byJob = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            JobPlan job = plan.run(run.uid()).orElseThrow().job();
            byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(run.rid());
        }
        return of(project, byJob);
    }

    /** The arrays the first submission of every run of the plan makes (each run's first attempt), as plan shows them. */
    public static List<Submission> firstOf(String project, Plan plan) {
        Map<JobPlan, List<String>> byJob = new LinkedHashMap<>();
        for (RunPlan run : plan.runs()) {
            byJob.computeIfAbsent(run.job(), j -> new ArrayList<>()).add(RunRecord.planned(run.uid(),
                    run.job().name(), run.repeat(), null).rid());
        }
        return of(project, byJob);
    }

    private static List<Submission> of(String project, Map<JobPlan, List<String>> byJob) {
        List<Submission> submissions = new ArrayList<>();
        byJob.forEach((job, rids) -> {
            String name = "katapult." + project + "." + job.name() + "."
                    + Hashes.of(String.join("\n", rids)).substring(0, 10);
            String comment = "katapult project " + project + " job " + job.name();
            submissions.add(new Submission(job, new BatchArray(name, comment, rids.size(),
                    Math.max(1, job.spec().cpusReq()), job.spec().timeLimit()), List.copyOf(rids)));
        });
        return submissions;
    }
}
