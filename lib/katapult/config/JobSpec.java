package katapult.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A job: one command, run {@code repeat} times for each point of its parameter grid.
 *
 * @param name        unique name, used for the results folder; default {@code <script or command stem>-<6 hex of its hash>}
 *                    (more hex digits where 6 are not unique)
 * @param envName     the environment it runs in; null when there is none, or exactly one (then that one)
 * @param cpusReq     cpus one run holds while running (default 1)
 * @param runScript   a local script plus its arguments; .py runs with the environment's python, .jl with julia,
 *                    anything else is executed; wins over runCommand when both are given
 * @param runCommand  a bash command line, run as written
 * @param uploadFiles local files copied next to the script (same folder) before the run
 * @param inputFiles  local files the script reads, copied into its working folder
 * @param outputFiles paths (relative to the working folder) the script writes; fetched into the results
 * @param repeat      how many independent runs of this job
 * @param after       names of jobs that must be DONE first; their outputs become this job's inputs
 * @param nameKey     when the name is a default one: the SHA-256 (hex) of what the job runs, which the name was
 *                    made from; null when the job was given its name
 * @param maxRetries  how many times a failed run goes again (default 0)
 * @param maxPreemptions how many spot interruptions a run goes through before it is ABORTED (default 10)
 * @param sweep       its parameter grid ({@link Sweep#NONE} for none): one run per point, {@code repeat} times each
 * @param metricsFile an output whose fields become columns of the job's runs table, or null
 * @param checkpointFiles paths (relative to the working folder) fetched from an attempt its spot instance's
 *                    interruption took away, and placed in the next attempt's working folder
 * @param timeLimit   a batch scheduler's wall time for each run of this job (wins over the instance entry's), or null
 * @param landing     where each upload or input that came from a folder or a pattern lands in the run's folder (its
 *                    path relative to it, '/'-separated); any other file lands under its own name
 */
public record JobSpec(
        String name,
        String envName,
        int cpusReq,
        ScriptCall runScript,
        String runCommand,
        List<Path> uploadFiles,
        List<Path> inputFiles,
        List<String> outputFiles,
        int repeat,
        List<String> after,
        String nameKey,
        int maxRetries,
        int maxPreemptions,
        Sweep sweep,
        String metricsFile,
        List<String> checkpointFiles,
        Duration timeLimit,
        Map<Path, String> landing) {

    /** {@code max_retries} when not given. */
    public static final int DEFAULT_MAX_RETRIES = 0;
    /** {@code max_preemptions} when not given. */
    public static final int DEFAULT_MAX_PREEMPTIONS = 10;

    /** A job that was given its name, with the default retries. */
    public JobSpec(String name, String envName, int cpusReq, ScriptCall runScript, String runCommand,
                   List<Path> uploadFiles, List<Path> inputFiles, List<String> outputFiles, int repeat,
                   List<String> after) {
        this(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat, after, null);
    }

    /** A job with the default retries. */
    public JobSpec(String name, String envName, int cpusReq, ScriptCall runScript, String runCommand,
                   List<Path> uploadFiles, List<Path> inputFiles, List<String> outputFiles, int repeat,
                   List<String> after, String nameKey) {
        this(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat, after, nameKey,
                DEFAULT_MAX_RETRIES, DEFAULT_MAX_PREEMPTIONS);
    }

    /** A job without a grid nor a metrics file. */
    public JobSpec(String name, String envName, int cpusReq, ScriptCall runScript, String runCommand,
                   List<Path> uploadFiles, List<Path> inputFiles, List<String> outputFiles, int repeat,
                   List<String> after, String nameKey, int maxRetries, int maxPreemptions) {
        this(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat, after, nameKey,
                maxRetries, maxPreemptions, Sweep.NONE, null, List.of(), null);
    }

    /** A job without checkpoint files nor a time limit of its own. */
    public JobSpec(String name, String envName, int cpusReq, ScriptCall runScript, String runCommand,
                   List<Path> uploadFiles, List<Path> inputFiles, List<String> outputFiles, int repeat,
                   List<String> after, String nameKey, int maxRetries, int maxPreemptions, Sweep sweep,
                   String metricsFile) {
        this(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat, after, nameKey,
                maxRetries, maxPreemptions, sweep, metricsFile, List.of(), null);
    }

    /** A job whose uploads and inputs all land under their own names. */
    public JobSpec(String name, String envName, int cpusReq, ScriptCall runScript, String runCommand,
                   List<Path> uploadFiles, List<Path> inputFiles, List<String> outputFiles, int repeat,
                   List<String> after, String nameKey, int maxRetries, int maxPreemptions, Sweep sweep,
                   String metricsFile, List<String> checkpointFiles, Duration timeLimit) {
        this(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat, after, nameKey,
                maxRetries, maxPreemptions, sweep, metricsFile, checkpointFiles, timeLimit, Map.of());
    }

    public JobSpec {
        landing = landing == null ? Map.of() : Map.copyOf(landing);
        uploadFiles = List.copyOf(uploadFiles);
        inputFiles = List.copyOf(inputFiles);
        outputFiles = List.copyOf(outputFiles);
        after = List.copyOf(after);
        checkpointFiles = checkpointFiles == null ? List.of() : List.copyOf(checkpointFiles);
        sweep = sweep == null ? Sweep.NONE : sweep;
    }

    /** Where an upload or input file lands in the run's folder, relative to it. */
    public String landing(Path file) {
        String at = landing.get(file);
        return at != null ? at : file.getFileName().toString();
    }

    /** How many runs: one per point of the grid, {@code repeat} times each (at most {@link Integer#MAX_VALUE}). */
    public int runCount() {
        return (int) Math.min((long) sweep.points() * repeat, Integer.MAX_VALUE);
    }

    /** The same job under another name (its default name made unique among the others). */
    public JobSpec withName(String newName) {
        return new JobSpec(newName, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles,
                repeat, after, nameKey, maxRetries, maxPreemptions, sweep, metricsFile, checkpointFiles, timeLimit, landing);
    }

    /** The same job as if it had been given its name (to compare a job with its copy recorded under its name). */
    public JobSpec asGiven() {
        return new JobSpec(name, envName, cpusReq, runScript, runCommand, uploadFiles, inputFiles, outputFiles, repeat,
                after, null, maxRetries, maxPreemptions, sweep, metricsFile, checkpointFiles, timeLimit, landing);
    }

    /** A script file and the arguments it is called with (already split like a shell would). */
    public record ScriptCall(Path script, List<String> args) {
        public ScriptCall {
            args = List.copyOf(args);
        }
    }
}
