package katapult.config;

import java.time.Duration;
import java.util.List;
import katapult.config.ConfigKeys.Block;

/**
 * The keys of a job, in documentation order: each declared once with its type, default, providers and
 * meaning. A new key is one more constant here, then its use where the config is bound.
 */
public final class JobKeys {

    private static final KeyTable T = new KeyTable(Block.JOB);

    public static final ConfigKey<String> NAME = T.key("name", Readers.string(),
            "name", "`<script stem or first word of the command>-<6 or more hex of its sha256>`", "all", "Unique name; names the job's results folder. Two identical jobs need `repeat` or different names. " + "Naming a job keeps its results folder readable and stable.");

    public static final ConfigKey<String> ENV_NAME = T.key("env_name", Readers.string(),
            "name of an environment", "the only environment if there is exactly one; none if there is none", "all", "The environment the job runs in. Required when there are several.");

    public static final ConfigKey<Integer> CPUS_REQ = T.key("cpus_req", Readers.whole(1),
            "whole number ≥ 1", "1", "all", "Cpus one run holds while running. Must fit in at least one instance's `cpus` (when known).");

    public static final ConfigKey<String> RUN_SCRIPT = T.key("run_script", Readers.string(),
            "string: `path arg1 'arg two'`", "none", "all", "A local script and its arguments, split like a shell does. `.py` runs with the environment's python, `.jl` with julia, anything else is executed. The script must exist. Wins over `run_command`.");

    public static final ConfigKey<String> RUN_COMMAND = T.key("run_command", Readers.string(),
            "string", "none", "all", "A bash command line, run as written. A job needs `run_script` or `run_command`.");

    public static final ConfigKey<Object> UPLOAD_FILES = T.key("upload_files", Readers.raw(true),
            "string or list of strings", "none", "all", "Local files placed next to the script (same folder) before the run; must exist. A folder is sent with its files (landing under its name), a glob pattern (`lib/*.py`, `**/*.json`) sends its matches (landing under their path from the config's folder); see \"Folders and patterns\". Shared read-only by the runs of an instance unless `mutualize_uploads` is false (see \"Shared uploads\").");

    public static final ConfigKey<Object> INPUT_FILES = T.key("input_files", Readers.raw(true),
            "string or list of strings", "none", "all", "Local files the script reads, placed in its working folder: a writable copy, or shared read-only from 1 MiB on (see \"Shared uploads\"); must exist. Folders and glob patterns as for `upload_files`. Alias: `input_file`.");

    public static final ConfigKey<Object> OUTPUT_FILES = T.key("output_files", Readers.raw(true),
            "string or list of strings", "none", "all", "Files the script writes, relative to its working folder (no `..`, not `stdout.log`/`stderr.log`); fetched into the results. A folder (`ckpt/`) or a glob pattern (`plots/*.png`, `**/*.json`) brings every file it matches; matching nothing ABORTs the run unless the entry ends with `?` (optional). See \"Folders and patterns\". Alias: `output_file`.");

    public static final ConfigKey<Integer> REPEAT = T.key("repeat", Readers.whole(1),
            "whole number ≥ 1", "1", "all", "How many independent runs of this job.");

    public static final ConfigKey<List<String>> AFTER = T.key("after", Readers.words(),
            "string or list of job names", "none", "all", "Jobs that must be DONE first; their outputs become this job's inputs. No cycles.");

    public static final ConfigKey<Integer> MAX_RETRIES = T.key("max_retries", Readers.whole(0, 100, "a whole number from 0 to 100"),
            "whole number 0-100", "0", "all", "How many times a failed run (non-zero exit, missing output) goes again, each a new attempt. 0: a failed run stays ABORTED.");

    public static final ConfigKey<Integer> MAX_PREEMPTIONS = T.key("max_preemptions", Readers.whole(0, 1000, "a whole number from 0 to 1000"),
            "whole number 0-1000", "10", "all", "How many spot interruptions a run goes through (placed again each time, no attempt taken) before it is ABORTED.");

    public static final ConfigKey<Object> CHECKPOINT_FILES = T.key("checkpoint_files", Readers.raw(true),
            "string or list of strings", "none", "all", "Files a run keeps when its spot instance is interrupted, relative to its working folder (no `..`): Katapult fetches them from the preempted attempt and places them in the next attempt's working folder, with `KATAPULT_RESUMED` set (see \"Retries and the spot contract\").");

    public static final ConfigKey<Object> SWEEP = T.key("sweep_params", "sweep", Readers.raw(false),
            "map: parameter name → list of values (numbers, strings, booleans) or a range", "none", "all", "A grid of parameters: one run per combination (times `repeat`), the first parameter changing slowest. `${name}` in `run_script` / `run_command` is replaced by the run's value (shell-quoted); each run gets `KATAPULT_PARAM_<NAME>` variables. Written `sweep lr: [0.1, 0.01], seed: 1..3` in the block form.");

    public static final ConfigKey<String> METRICS_FILE = T.key("metrics_file", Readers.string(),
            "path relative to the working folder", "none", "all", "A small output of each run (a flat JSON object, or a CSV header and one row) whose fields become columns of the job's `runs.csv`. Fetched like an output: a run that does not write it fails.");

    public static final ConfigKey<Duration> TIME_LIMIT = T.key("time_limit", Readers.duration(),
            "duration", "the instance entry's `time_limit`", "slurm", "Wall time of each run of this job (`--time`); wins over the instance entry's `time_limit`. A run that passes it is ABORTED with Slurm's reason.");

    private JobKeys() {
    }

    /** Every key of the block, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return T.keys();
    }
}
