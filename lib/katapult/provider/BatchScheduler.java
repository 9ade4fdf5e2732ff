package katapult.provider;

import java.time.Duration;
import java.util.List;

import katapult.config.InstanceSpec;

/**
 * A provider whose instances are a batch scheduler's login nodes (slurm): no agent runs the runs there, each job's
 * runs go to the scheduler as one job array, whose tasks run the ordinary run script in the run folders.
 */
public interface BatchScheduler {

    /** The scheduler's word, written into the instance's {@code batch} file ({@code slurm}). */
    String name();

    /** The submission options of one array on the instance of {@code spec}, every one a separate word. */
    List<String> arrayOptions(InstanceSpec spec, BatchArray array);

    /**
     * The submission options of the one job that sets an environment up on the instance of {@code spec} (a single
     * task of one cpu, in the entry's partition, account and quality of service), every one a separate word.
     */
    List<String> setupOptions(InstanceSpec spec, String name, String comment);

    /** The command line a person would type for that submission (what {@code plan} shows). */
    String describe(InstanceSpec spec, BatchArray array);

    /**
     * One job array: its name (how a restarted Katapult finds it), a comment for people reading the queue, how many
     * tasks (one per run), the cpus each task needs and the job's own wall time per task (null: the entry's).
     */
    record BatchArray(String name, String comment, int tasks, int cpus, Duration timeLimit) {
    }
}
