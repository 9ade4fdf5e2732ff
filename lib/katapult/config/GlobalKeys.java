package katapult.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import katapult.config.ConfigKeys.Block;

/**
 * The keys of the katapult block / the top level of the map form, in documentation order: each declared once with its type, default, providers and
 * meaning. A new key is one more constant here, then its use where the config is bound.
 */
public final class GlobalKeys {

    private static final KeyTable T = new KeyTable(Block.CONFIG);

    public static final ConfigKey<String> PROJECT = T.key("project", Readers.string(),
            "name", "the file's name without extension", "all", "Names the local state folder `.katapult/<project>/`, the remote root `~/.katapult/<project>/` and the results folder. Letters, digits, `_`, `.`, `-`, starting with a letter or digit.");

    public static final ConfigKey<String> PROFILE = T.key("profile", Readers.string(),
            "string", "the provider's default credentials chain", "aws", "Cloud credentials profile (a section of `~/.aws/credentials`).");

    public static final ConfigKey<Boolean> DEV = T.inert("dev", Readers.bool(),
            "boolean", "false", "all", "Accepted but without effect: Katapult always reuses instances and environments (an unchanged environment is never set up twice). Setting it to `true` prints a warning.", false);

    public static final ConfigKey<Integer> DEBUG = T.key("debug", Readers.whole(0, 3, "0, 1, 2 or 3"),
            "0, 1, 2 or 3", "1", "all", "How much the CLI prints: 0 warnings and the summary, 1 also each step and each finished run, 2 and 3 also every state change and fetch (like `-v`).");

    public static final ConfigKey<Config.Maestro> MAESTRO = T.key("maestro", Readers.choice(Config.Maestro.class,
                    Map.of("lambda", "a cloud function cannot drive a session for hours: use 'remote' to run unattended"
                            + " (the maestro on a small instance of the provider)")),
            "`local` or `remote`", "local", "all", "Where the maestro (the process driving the session) runs: this machine, or a small instance of the provider (`remote`, for a provider that can host it: aws), to which `run` hands the session so the laptop may close; `status`, `watch`, `logs`, `wait`, `fetch`, `stop` and `down` then reach the session through it (see \"Run unattended\"). With `local`, the runs still outlive Katapult and a later `run` or `wait` collects them.");

    public static final ConfigKey<String> MAESTRO_TYPE = T.key("maestro_type", Readers.string(),
            "string", "t3.small", "aws", "Instance type of the remote maestro: on-demand, in the region and network of the first instance entry. The default, burstable with 2 vCPUs and 2 GiB, costs about $0.021 an hour in us-east-1 (2025 list price) while it runs; stopped, only its disk is billed.");

    public static final ConfigKey<Boolean> AUTO_STOP = T.key("auto_stop", Readers.bool(),
            "boolean", "true", "all", "Stop the instances once every run is finished and its results fetched.");

    public static final ConfigKey<Duration> IDLE_STOP = T.key("idle_stop", Readers.durationOrOff(),
            "duration, or `'off'`", "10m", "aws", "An instance with no run active or queued and every result fetched shuts itself down after this long (on-demand: stopped, disk kept). Judged by the agent on the instance, so it works with Katapult gone. An instance entry may set its own.");

    public static final ConfigKey<Duration> HEARTBEAT_TIMEOUT = T.key("heartbeat_timeout", Readers.duration(),
            "duration", "30m", "aws", "Dead-man switch: when Katapult has not spoken to an instance for this long and nothing runs there, the instance shuts itself down even with unfetched results, unless that would destroy them (a one-time spot instance: see `abandon_after`). An instance entry may set its own.");

    public static final ConfigKey<Duration> ABANDON_AFTER = T.key("abandon_after", Readers.duration(),
            "duration", "24h", "aws", "A one-time spot instance with unfetched results, which its shutdown would destroy, waits for Katapult this long after it last spoke, then shuts itself down anyway. An instance entry may set its own.");

    public static final ConfigKey<Config.ProviderKind> PROVIDER = T.key("provider", Readers.choice(Config.ProviderKind.class),
            "`local`, `ssh`, `aws` or `slurm`", "local", "all", "What creates the instances: this machine, existing machines reached over SSH, Amazon EC2, or a Slurm cluster's scheduler (each instance is a login node).");

    public static final ConfigKey<Config.JobAssign> JOB_ASSIGN = T.key("job_assign", Readers.choice(Config.JobAssign.class),
            "`random` or `multi_knapsack`", "multi_knapsack (also when null)", "all", "How runs are spread over the instances: at random, or packed by their `cpus_req`.");

    public static final ConfigKey<Boolean> RECOVER = T.key("recover", Readers.bool(),
            "boolean", "true", "all", "Save the state after every transition and resume from it when Katapult runs again.");

    public static final ConfigKey<Boolean> PRINT_DEPLOY = T.key("print_deploy", Readers.bool(),
            "boolean", "false", "all", "Wait for the environments during deploy and print their set-up logs.");

    public static final ConfigKey<Boolean> MUTUALIZE_UPLOADS = T.key("mutualize_uploads", Readers.bool(),
            "boolean", "true", "all", "Uploads are stored once per instance by content. `true`: each run sees its `upload_files`, and its inputs of 1 MiB or more, read-only and shared (a hard link to the stored file, no copy): writing to one fails (see \"Shared uploads\"). `false`: each run gets its own writable copy of every file.");

    public static final ConfigKey<Boolean> SSH_OPEN = T.key("ssh_open", Readers.bool(),
            "boolean", "false", "aws", "Allow an `ssh_cidr` that opens SSH to every address (`0.0.0.0/0`, `::/0`); without it such a block is refused.");

    public static final ConfigKey<Duration> RETRY_BUDGET = T.key("retry_budget", Readers.duration(),
            "duration: `'5m'`, `'90s'`, ...", "5m", "aws", "How long a throttled cloud call (describe, tag) keeps backing off, with jitter and a progress line, before the command gives up.");

    public static final ConfigKey<Integer> MAX_RUNS = T.key("max_runs", Readers.whole(1),
            "whole number ≥ 1", "100000", "all", "The most runs (every job's `repeat`, added up) the project may hold; a config with more is refused, as its state would not fit a session. Raise it on purpose.");

    public static final ConfigKey<Integer> MAX_INSTANCES = T.key("max_instances", Readers.whole(1),
            "whole number ≥ 1", "500", "all", "The most instances (every entry's `number`, times the machines `explode` splits it into) the project may have; a config with more is refused. Raise it on purpose.");

    public static final ConfigKey<Double> CONFIRM_ABOVE = T.key("confirm_above",
            Readers.positive("a number > 0 ($ per hour)"), "number > 0 ($/hour)", "5", "aws",
            "`run` and `start` print the estimated cost per hour of the instances they would start; above this they ask on a terminal (`--yes` skips the question) and, without a terminal, stop before creating anything.");

    public static final ConfigKey<Double> MAX_COST = T.key("max_cost",
            Readers.positive("a number > 0 (dollars)"), "number > 0 (dollars)", "none", "aws",
            "The most the project may spend on instances. When the spend so far plus one more poll period at the current burn rate would pass it, Katapult stops launching, stops the instances, leaves the unfinished runs `WAIT` and `run` exits 1 (see README, \"Costs\").");

    public static final ConfigKey<Object> INSTANCES = T.key("instances", "instance", Readers.entries(Block.INSTANCE),
            "list of maps / repeated block", "empty", "all", "The machines to run on; see Instance keys.");

    public static final ConfigKey<Object> ENVIRONMENTS = T.key("environments", "environment", Readers.entries(Block.ENVIRONMENT),
            "list of maps / repeated block", "empty", "all", "The software environments; see Environment keys.");

    public static final ConfigKey<Object> JOBS = T.key("jobs", "job", Readers.entries(Block.JOB),
            "list of maps / repeated block", "empty", "all", "The jobs to run; see Job keys.");

    private GlobalKeys() {
    }

    /** Every key of the block, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return T.keys();
    }
}
