package katapult.config;

import java.time.Duration;
import java.util.List;
import katapult.config.ConfigKeys.Block;

/**
 * The keys of an instance entry, in documentation order: each declared once with its type, default, providers and
 * meaning. A new key is one more constant here, then its use where the config is bound.
 */
public final class InstanceKeys {

    private static final KeyTable T = new KeyTable(Block.INSTANCE);

    private static final ValueType<Integer> PORT_NUMBER = Readers.whole(1, 65_535, "a port number (1 to 65535)");

    public static final ConfigKey<String> NAME = T.key("name", Readers.string(),
            "name", "`<provider>-<n>` (n counts instances from 1)", "all", "Base name of the instance(s) of this entry; unique; letters, digits, `_`, `.`, `-`.");

    public static final ConfigKey<String> REGION = T.key("region", Readers.string(),
            "string", "the profile's region", "aws", "Cloud region; overrides the profile's region.");

    public static final ConfigKey<String> CLOUD_ID = T.key("cloud_id", Readers.string(),
            "string", "the default VPC, else a VPC Katapult makes", "aws", "VPC id; one that names no VPC of the region falls back to the default VPC, with a warning.");

    public static final ConfigKey<String> IMG_ID = T.key("img_id", Readers.string(),
            "string", "the newest Ubuntu LTS image", "aws", "Machine image id (AMI).");

    public static final ConfigKey<String> IMG_USERNAME = T.key("img_username", Readers.string(),
            "string", "`ubuntu` (aws)", "aws", "SSH user of the image.");

    public static final ConfigKey<String> TYPE = T.key("type", Readers.string(),
            "string", "none: required with aws", "aws", "Instance type, e.g. `t3.large`.");

    public static final ConfigKey<Integer> CPUS = T.key("cpus", Readers.whole(1),
            "whole number ≥ 1", "local: this machine's processor count; ssh: the host's `nproc`, asked at start; otherwise the provider's count", "all", "Cpu budget of one instance: how many `cpus_req` its runs may hold at once.");

    public static final ConfigKey<String> GPU = T.key("gpu", Readers.string(),
            "string", "none", "aws, slurm", "GPU type (aws); slurm: what `--gres` asks for, e.g. `gpu:1` or `gpu:a100:2`.");

    public static final ConfigKey<Integer> DISK_SIZE = T.key("disk_size", Readers.whole(1),
            "whole number ≥ 1", "the image's", "aws", "Root disk size in GB.");

    public static final ConfigKey<String> DISK_TYPE = T.key("disk_type", Readers.string(),
            "string", "the image's", "aws", "Root disk type: `standard`, `gp3`, `io1`, `io2`, `st1`, ...");

    public static final ConfigKey<Boolean> ECO = T.key("eco", Readers.bool(),
            "boolean", "false", "aws", "Spot instances: cheaper, may be interrupted (their runs are re-queued).");

    public static final ConfigKey<Duration> ECO_LIFE = T.key("eco_life", Readers.duration(),
            "duration: `'90m'`, `'2h'`, `'1d'`, `'45s'`, `'1h30m'`, a `java.time.Duration` or a Groovy `TimeDuration`", "none", "aws", "Lifetime after which an eco instance shuts itself down.");

    public static final ConfigKey<Duration> IDLE_STOP = T.key("idle_stop", Readers.durationOrOff(),
            "duration, or `'off'`", "the global `idle_stop`", "aws", "This entry's own `idle_stop` (see Global keys).");

    public static final ConfigKey<Duration> HEARTBEAT_TIMEOUT = T.key("heartbeat_timeout", Readers.duration(),
            "duration", "the global `heartbeat_timeout`", "aws", "This entry's own `heartbeat_timeout` (see Global keys).");

    public static final ConfigKey<Duration> ABANDON_AFTER = T.key("abandon_after", Readers.duration(),
            "duration", "the global `abandon_after`", "aws", "This entry's own `abandon_after` (see Global keys).");

    public static final ConfigKey<Double> MAX_BID = T.key("max_bid", Readers.positive("a number > 0 ($ per hour)"),
            "number > 0", "the on-demand price", "aws", "Highest spot price, in $/hour.");

    public static final ConfigKey<Integer> SPOT_FALLBACK = T.key("spot_fallback", Readers.whole(1),
            "whole number ≥ 1", "off", "aws", "With `eco`: after this many spot interruptions of this entry's instances, its next launches are on-demand (for a deadline).");

    public static final ConfigKey<Integer> NUMBER = T.key("number", Readers.whole(1),
            "whole number ≥ 1", "1", "local, aws", "How many instances of this entry (ssh: only 1; list several hosts with `hosts`).");

    public static final ConfigKey<Boolean> EXPLODE = T.key("explode", Readers.bool(),
            "boolean", "true", "local, aws", "May a `cpus` larger than one machine be split over several instances of this entry (ignored by ssh: one host is one machine).");

    public static final ConfigKey<String> HOST = T.key("host", Readers.string(),
            "string", "none: required with ssh (or `hosts`); slurm: this machine", "ssh, slurm", "Host name or address (slurm: the cluster's login node; none or `localhost`: Katapult runs on it).");

    public static final ConfigKey<List<String>> HOSTS = T.key("hosts", Readers.words(),
            "list of `[user@]host[:port]` strings", "none", "ssh", "Several hosts with this entry's other settings (`user`, `port`, `key`, `cpus` as defaults): one instance each, named `<name>-<n>`. Instead of `host`.");

    public static final ConfigKey<String> USER = T.key("user", Readers.string(),
            "string", "the SSH client's default", "ssh, slurm", "SSH user.");

    public static final ConfigKey<Integer> PORT = T.key("port", PORT_NUMBER,
            "whole number ≥ 1", "22 (ssh)", "ssh, slurm", "SSH port.");

    public static final ConfigKey<String> KEY = T.key("key", Readers.string(),
            "path (`~/` allowed)", "the `~/.ssh` defaults", "ssh, slurm", "Private key file; must exist (checked with the ssh and slurm providers only).");

    public static final ConfigKey<String> ENDPOINT = T.key("endpoint", Readers.string(),
            "URL", "the region's endpoint", "aws", "EC2/IAM endpoint override (tests, compatible clouds).");

    public static final ConfigKey<Integer> SSH_PORT = T.key("ssh_port", PORT_NUMBER,
            "whole number ≥ 1", "22 (aws)", "aws", "Port the instances' SSH server listens on.");

    public static final ConfigKey<String> SSH_CIDR = T.key("ssh_cidr", Readers.string(),
            "IPv4 or IPv6 CIDR block, e.g. `203.0.113.0/24`, `2001:db8::/64`", "your public address", "aws", "Who may reach the SSH port. An open block (`0.0.0.0/0`, `::/0`) needs `ssh_open true`.");

    public static final ConfigKey<String> PARTITION = T.key("partition", Readers.string(),
            "string", "the cluster's default partition", "slurm", "Slurm partition the runs go to (`--partition`).");

    public static final ConfigKey<String> ACCOUNT = T.key("account", Readers.string(),
            "string", "your default account", "slurm", "Slurm account charged (`--account`).");

    public static final ConfigKey<String> QOS = T.key("qos", Readers.string(),
            "string", "the account's default", "slurm", "Slurm quality of service (`--qos`).");

    public static final ConfigKey<Duration> TIME_LIMIT = T.key("time_limit", Readers.duration(),
            "duration", "the partition's default", "slurm", "Wall time of each run, and of an environment's set-up job (`--time`); a run that passes it is ABORTED with Slurm's reason.");

    public static final ConfigKey<String> MEM = T.key("mem", SlurmMemory.TYPE,
            "memory: `'500M'`, `'4G'`, `'1T'` (a number alone: megabytes)", "the partition's default", "slurm", "Memory of each run, and of an environment's set-up job (`--mem`).");

    public static final ConfigKey<String> MEM_PER_CPU = T.key("mem_per_cpu", SlurmMemory.TYPE,
            "memory, as `mem`", "the partition's default", "slurm", "Memory per cpu of each run, and of an environment's set-up job (`--mem-per-cpu`); not with `mem`.");

    public static final ConfigKey<Integer> MAX_PARALLEL = T.key("max_parallel", Readers.whole(1),
            "whole number ≥ 1", "no cap", "slurm", "How many runs of one job may run at once (the array's `%N`).");

    public static final ConfigKey<List<String>> SBATCH_OPTIONS = T.key("sbatch_options", Readers.words(),
            "list of strings", "none", "slurm", "More `sbatch` options, passed as they are, e.g. `['--constraint=skylake', '--exclusive']`.");

    public static final ConfigKey<String> WORKDIR = T.key("workdir", Readers.string(),
            "absolute path, or `~/` and a path", "`~/.katapult/<project>`", "slurm", "The project's folder on the cluster's shared file system (the compute nodes must see it): uploads, run folders and logs go there.");

    private InstanceKeys() {
    }

    /** Every key of the block, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return T.keys();
    }
}
