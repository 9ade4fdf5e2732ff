package katapult.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every key of the config language, in both spellings, with its meaning, default and provider.
 * The single source of truth for the binder (which keys exist), the DSL (camelCase names) and the
 * reference documentation ({@link #markdownTables()}).
 */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** Where a key may be written. */
    public enum Block {
        CONFIG("katapult { }", "config = [ ]"),
        INSTANCE("instance { }", "instances: [[ ]]"),
        ENVIRONMENT("environment { }", "environments: [[ ]]"),
        JOB("job { }", "jobs: [[ ]]");

        private final String blockTitle;
        private final String mapTitle;

        Block(String blockTitle, String mapTitle) {
            this.blockTitle = blockTitle;
            this.mapTitle = mapTitle;
        }

        /** How the block is named in a message, e.g. "an instance" or "the katapult block". */
        public String describe(ConfigForm form) {
            return switch (this) {
                case CONFIG -> form == ConfigForm.BLOCK ? "the katapult block" : "the top level of config";
                case INSTANCE -> "an instance";
                case ENVIRONMENT -> "an environment";
                case JOB -> "a job";
            };
        }

        public String title(ConfigForm form) {
            return form == ConfigForm.BLOCK ? blockTitle : mapTitle;
        }

        /** "instance", "environment", "job", "config". */
        public String word() {
            return this == CONFIG ? "config" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One key.
     *
     * @param block        where it is written
     * @param name         its map-form (snake_case) name
     * @param camel        its block-form name (a method of the block's delegate)
     * @param type         what it takes, in words
     * @param defaultValue what it is when absent or null
     * @param providers    which providers read it ("all" or a list)
     * @param meaning      what it does
     */
    public record Key(Block block, String name, String camel, String type, String defaultValue,
                      String providers, String meaning) {

        public String spelled(ConfigForm form) {
            return form == ConfigForm.BLOCK ? camel : name;
        }
    }

    /** Alternative map-form names (from the first seed) and what they mean. */
    public static final Map<String, String> ALIASES = Map.of(
            "input_file", "input_files",
            "output_file", "output_files");

    private static final List<Key> ALL = define();

    private static void key(List<Key> keys, Block b, String name, String type, String def, String providers,
                            String meaning) {
        keys.add(new Key(b, name, camel(name), type, def, providers, meaning));
    }

    private static void block(List<Key> keys, String name, String camel, String type, String meaning) {
        keys.add(new Key(Block.CONFIG, name, camel, type, "empty", "all", meaning));
    }

    /** Every key, in documentation order (built once; never changed after). */
    private static List<Key> define() {
        List<Key> keys = new ArrayList<>();
        Block c = Block.CONFIG;
        key(keys, c, "project", "name", "the file's name without extension", "all",
                "Names the local state folder `.katapult/<project>/`, the remote root `~/.katapult/<project>/` and the results folder. Letters, digits, `_`, `.`, `-`, starting with a letter or digit.");
        key(keys, c, "profile", "string", "the provider's default credentials chain", "aws",
                "Cloud credentials profile (a section of `~/.aws/credentials`).");
        key(keys, c, "dev", "boolean", "false", "all",
                "Kept from the seeds, where it pinned instances and environments while a project was built up. Katapult always reuses them (an unchanged environment is never set up twice), so it changes nothing.");
        key(keys, c, "debug", "0, 1, 2 or 3", "1", "all", "How much the CLI prints: 0 warnings and the summary, 1 also each step and each finished run, 2 and 3 also every state change and fetch (like `-v`).");
        key(keys, c, "maestro", "`local` or `remote`", "local", "all",
                "Where the maestro (the process driving the session) runs: this machine, or a small instance of the provider. `remote` needs a cloud provider, and is not available in this version yet (`run` says so).");
        key(keys, c, "auto_stop", "boolean", "true", "all",
                "Stop the instances once every run is finished and its results fetched.");
        key(keys, c, "provider", "`local`, `ssh` or `aws`", "local", "all",
                "What creates the instances: this machine, existing machines reached over SSH, or Amazon EC2.");
        key(keys, c, "job_assign", "`random` or `multi_knapsack`", "multi_knapsack (also when null)", "all",
                "How runs are spread over the instances: at random, or packed by their `cpus_req`.");
        key(keys, c, "recover", "boolean", "true", "all",
                "Save the state after every transition and resume from it when Katapult runs again.");
        key(keys, c, "print_deploy", "boolean", "false", "all",
                "Wait for the environments during deploy and print their set-up logs.");
        key(keys, c, "mutualize_uploads", "boolean", "true", "all",
                "Kept from the seeds. Uploads are always stored once per instance by content and copied into each run's folder, so no run can change another's files; both values behave the same.");
        key(keys, c, "ssh_open", "boolean", "false", "aws",
                "Allow an `ssh_cidr` that opens SSH to every address (`0.0.0.0/0`, `::/0`); without it such a block is refused.");
        key(keys, c, "retry_budget", "duration: `'5m'`, `'90s'`, ...", "5m", "aws",
                "How long a throttled cloud call (describe, tag) keeps backing off, with jitter and a progress line, before the command gives up.");
        key(keys, c, "max_runs", "whole number ≥ 1", "100000", "all",
                "The most runs (every job's `repeat`, added up) the project may hold; a config with more is refused, as its state would not fit a session. Raise it on purpose.");
        key(keys, c, "max_instances", "whole number ≥ 1", "500", "all",
                "The most instances (every entry's `number`, times the machines `explode` splits it into) the project may have; a config with more is refused. Raise it on purpose.");
        block(keys, "instances", "instance", "list of maps / repeated block",
                "The machines to run on; see Instance keys.");
        block(keys, "environments", "environment", "list of maps / repeated block",
                "The software environments; see Environment keys.");
        block(keys, "jobs", "job", "list of maps / repeated block", "The jobs to run; see Job keys.");

        Block i = Block.INSTANCE;
        key(keys, i, "name", "name", "`<provider>-<n>` (n counts instances from 1)", "all",
                "Base name of the instance(s) of this entry; unique; letters, digits, `_`, `.`, `-`.");
        key(keys, i, "region", "string", "the profile's region", "aws", "Cloud region; overrides the profile's region.");
        key(keys, i, "cloud_id", "string", "the default VPC", "aws", "VPC id.");
        key(keys, i, "img_id", "string", "the newest Ubuntu LTS image", "aws", "Machine image id (AMI).");
        key(keys, i, "img_username", "string", "`ubuntu` (aws)", "aws", "SSH user of the image.");
        key(keys, i, "type", "string", "none: required with aws", "aws", "Instance type, e.g. `t3.large`.");
        key(keys, i, "cpus", "whole number ≥ 1", "local: this machine's processor count; ssh: the host's `nproc`, asked at start; otherwise the provider's count", "all",
                "Cpu budget of one instance: how many `cpus_req` its runs may hold at once.");
        key(keys, i, "gpu", "string", "none", "aws", "GPU type.");
        key(keys, i, "disk_size", "whole number ≥ 1", "the image's", "aws", "Root disk size in GB.");
        key(keys, i, "disk_type", "string", "the image's", "aws", "Root disk type: `standard`, `gp3`, `io1`, `io2`, `st1`, ...");
        key(keys, i, "eco", "boolean", "false", "aws", "Spot instances: cheaper, may be interrupted (their runs are re-queued).");
        key(keys, i, "eco_life", "duration: `'90m'`, `'2h'`, `'1d'`, `'45s'`, `'1h30m'`, a `java.time.Duration` or a Groovy `TimeDuration`", "none", "aws",
                "Lifetime after which an eco instance shuts itself down.");
        key(keys, i, "max_bid", "number > 0", "the on-demand price", "aws", "Highest spot price, in $/hour.");
        key(keys, i, "number", "whole number ≥ 1", "1", "local, aws", "How many instances of this entry (ssh: only 1; list several hosts with `hosts`).");
        key(keys, i, "explode", "boolean", "true", "local, aws",
                "May a `cpus` larger than one machine be split over several instances of this entry (ignored by ssh: one host is one machine).");
        key(keys, i, "host", "string", "none: required with ssh (or `hosts`)", "ssh", "Host name or address.");
        key(keys, i, "hosts", "list of `[user@]host[:port]` strings", "none", "ssh",
                "Several hosts with this entry's other settings (`user`, `port`, `key`, `cpus` as defaults): one instance each, named `<name>-<n>`. Instead of `host`.");
        key(keys, i, "user", "string", "the SSH client's default", "ssh", "SSH user.");
        key(keys, i, "port", "whole number ≥ 1", "22 (ssh)", "ssh", "SSH port.");
        key(keys, i, "key", "path (`~/` allowed)", "the `~/.ssh` defaults", "ssh", "Private key file; must exist (checked with the ssh provider only).");
        key(keys, i, "endpoint", "URL", "the region's endpoint", "aws", "EC2/IAM endpoint override (tests, compatible clouds).");
        key(keys, i, "ssh_port", "whole number ≥ 1", "22 (aws)", "aws", "Port the instances' SSH server listens on.");
        key(keys, i, "ssh_cidr", "IPv4 or IPv6 CIDR block, e.g. `203.0.113.0/24`, `2001:db8::/64`", "your public address", "aws", "Who may reach the SSH port. An open block (`0.0.0.0/0`, `::/0`) needs `ssh_open true`.");

        Block e = Block.ENVIRONMENT;
        key(keys, e, "name", "name", "`default` when there is exactly one environment; otherwise required", "all",
                "Unique name, referred to by jobs' `env_name`.");
        key(keys, e, "command", "path of a local bash file, or a command", "none", "all",
                "Set-up command run last: an existing local file is uploaded and run with bash; a name ending `.sh` must exist; anything else is run as a bash command line.");
        key(keys, e, "env_aptget", "string or list of strings", "none", "all",
                "Debian packages installed with apt-get (with sudo when not root).");
        key(keys, e, "env_conda", "list of packages, a local `environment.yml`, or an environment root", "none", "all",
                "Conda packages. With `env_conda`, micromamba/mamba/conda builds the environment (pip packages included).");
        key(keys, e, "env_conda_channels", "string or list of strings", "conda-forge", "all", "Channels for the conda packages.");
        key(keys, e, "env_pypi", "list of packages, a local `requirements.txt`, or a venv root", "none", "all",
                "pip packages. Without `env_conda`, a venv is built.");
        key(keys, e, "env_julia", "string or list of strings", "none", "all",
                "Julia packages added to the environment's Julia project (needs julia, e.g. from `command`).");
        key(keys, e, "env_pypi_index_url", "URL", "pip's default index", "all", "pip `--index-url`.");
        key(keys, e, "env_pypi_find_links", "path of a local folder", "none", "all",
                "A local folder of wheels, uploaded with the environment and given to pip `--find-links`.");
        key(keys, e, "env_pypi_no_index", "boolean", "false", "all",
                "pip `--no-index`: install only from `env_pypi_find_links` (which it then needs).");

        Block j = Block.JOB;
        key(keys, j, "name", "name", "`<script stem or first word of the command>-<6 or more hex of its sha256>`", "all",
                "Unique name; names the job's results folder. Two identical jobs need `repeat` or different names. "
                + "Naming a job keeps its results folder readable and stable.");
        key(keys, j, "env_name", "name of an environment", "the only environment if there is exactly one; none if there is none", "all",
                "The environment the job runs in. Required when there are several.");
        key(keys, j, "cpus_req", "whole number ≥ 1", "1", "all",
                "Cpus one run holds while running. Must fit in at least one instance's `cpus` (when known).");
        key(keys, j, "run_script", "string: `path arg1 'arg two'`", "none", "all",
                "A local script and its arguments, split like a shell does. `.py` runs with the environment's python, `.jl` with julia, anything else is executed. The script must exist. Wins over `run_command`.");
        key(keys, j, "run_command", "string", "none", "all",
                "A bash command line, run as written. A job needs `run_script` or `run_command`.");
        key(keys, j, "upload_files", "string or list of strings", "none", "all",
                "Local files copied next to the script (same folder) before the run; must exist.");
        key(keys, j, "input_files", "string or list of strings", "none", "all",
                "Local files the script reads, copied into its working folder; must exist. Alias: `input_file`.");
        key(keys, j, "output_files", "string or list of strings", "none", "all",
                "Files the script writes, relative to its working folder (no `..`, not `stdout.log`/`stderr.log`); fetched into the results. Alias: `output_file`.");
        key(keys, j, "repeat", "whole number ≥ 1", "1", "all", "How many independent runs of this job.");
        key(keys, j, "after", "string or list of job names", "none", "all",
                "Jobs that must be DONE first; their outputs become this job's inputs. No cycles.");
        return List.copyOf(keys);
    }

    /** The keys of one block, in documentation order. */
    public static List<Key> keys(Block block) {
        return ALL.stream().filter(k -> k.block() == block).toList();
    }

    public static List<Key> all() {
        return List.copyOf(ALL);
    }

    /** The key named {@code name} (map spelling, aliases included) in {@code block}. */
    public static Optional<Key> find(Block block, String name) {
        String canonical = ALIASES.getOrDefault(name, name);
        return ALL.stream().filter(k -> k.block() == block && k.name().equals(canonical)).findFirst();
    }

    /** The key spelled {@code spelled} in the given form (aliases included) in {@code block}. */
    public static Optional<Key> findSpelled(Block block, String spelled, ConfigForm form) {
        for (Key k : ALL) {
            if (k.block() == block && k.spelled(form).equals(spelled)) {
                return Optional.of(k);
            }
        }
        for (Map.Entry<String, String> a : ALIASES.entrySet()) {
            String aliasSpelled = form == ConfigForm.BLOCK ? camel(a.getKey()) : a.getKey();
            if (aliasSpelled.equals(spelled)) {
                Optional<Key> k = find(block, a.getValue());
                if (k.isPresent()) {
                    return k;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code cpus_req} → {@code cpusReq}. */
    public static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    /** How a (known, canonical) key is spelled in messages for the given form. */
    public static String spell(Block block, String name, ConfigForm form) {
        return find(block, name).map(k -> k.spelled(form)).orElse(form == ConfigForm.BLOCK ? camel(name) : name);
    }

    /** Every spelling accepted in a block, for did-you-mean. */
    public static Set<String> spellings(Block block, ConfigForm form) {
        Set<String> names = new LinkedHashSet<>();
        for (Key k : keys(block)) {
            names.add(k.spelled(form));
        }
        if (block == Block.JOB) {
            for (String alias : ALIASES.keySet()) {
                names.add(form == ConfigForm.BLOCK ? camel(alias) : alias);
            }
        }
        return names;
    }

    /**
     * The message for a key that does not exist in {@code block}: a close spelling, or the block the
     * key belongs to, or the list of keys.
     */
    public static String unknownKey(Block block, String spelled, ConfigForm form) {
        Set<String> known = spellings(block, form);
        String where = block.describe(form);
        Optional<String> close = DidYouMean.suggest(spelled, known);
        if (close.isPresent()) {
            return "unknown key '" + spelled + "' in " + where + "; did you mean '" + close.get() + "'?";
        }
        for (Block other : Block.values()) {
            if (other != block && findSpelled(other, spelled, form).isPresent()) {
                return "'" + spelled + "' cannot be set in " + where + ": it belongs in " + other.describe(form)
                        + hintFor(block, spelled, form);
            }
        }
        return "unknown key '" + spelled + "' in " + where + " (known keys: "
                + known.stream().collect(Collectors.joining(", ")) + ")";
    }

    private static String hintFor(Block block, String spelled, ConfigForm form) {
        if (block == Block.JOB && spelled.equals("cpus")) {
            return "; a job asks for cpus with '" + spell(Block.JOB, "cpus_req", form) + "'";
        }
        if (block == Block.CONFIG && spelled.equals("name")) {
            return "; the project is named with '" + spell(Block.CONFIG, "project", form) + "'";
        }
        return "";
    }

    /**
     * The reference tables in markdown: one table per block with every key's spelling in both forms,
     * what it takes, its default, the providers that read it and its meaning.
     */
    public static String markdownTables() {
        StringBuilder b = new StringBuilder();
        for (Block block : Block.values()) {
            b.append("### ").append(switch (block) {
                case CONFIG -> "Global keys";
                case INSTANCE -> "Instance keys";
                case ENVIRONMENT -> "Environment keys";
                case JOB -> "Job keys";
            }).append(" — `").append(block.title(ConfigForm.BLOCK)).append("` / `")
                    .append(block.title(ConfigForm.MAP)).append("`\n\n");
            b.append("| map key | block method | takes | default | provider | meaning |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (Key k : keys(block)) {
                b.append("| `").append(k.name()).append("` | `").append(k.camel()).append("` | ")
                        .append(k.type()).append(" | ").append(k.defaultValue()).append(" | ")
                        .append(k.providers()).append(" | ").append(k.meaning()).append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
