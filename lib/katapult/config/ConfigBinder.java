package katapult.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import katapult.config.ConfigKeys.Block;
import katapult.util.Hashes;

/**
 * Turns a {@link RawMap} (a config file as read, in either form) into a validated {@link Config}:
 * checks every key and value, applies the defaults, resolves paths against the file's folder, names
 * what is unnamed, and cross-checks names, files and cpus. Collects every problem before failing.
 */
public final class ConfigBinder {

    /** What instance, environment, job and project names look like. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** How long a throttled cloud call keeps backing off when the config does not say. */
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofMinutes(5);

    static final String NAME_RULE =
            "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'";

    private final Binding in;
    private final Config base;

    private ConfigBinder(Path source, String file, ConfigForm form, Config base, KeptNames kept) {
        this.in = new Binding(source, file, form, base, kept);
        this.base = base;
    }

    /**
     * Binds a whole config.
     *
     * @param root    the file's content
     * @param source  the file (paths resolve against its folder; its name is the default project)
     * @param file    the file as the user named it, for {@link Problem#file()}
     * @param form    the form it was written in (for how keys are spelled in messages)
     * @param earlier problems already found while reading the file, reported with the binder's own
     * @throws ConfigException carrying every problem, sorted by line
     */
    public static Config bind(RawMap root, Path source, String file, ConfigForm form, List<Problem> earlier) {
        return bind(root, source, file, form, earlier, KeptNames.NONE);
    }

    /** {@link #bind(RawMap, Path, String, ConfigForm, List)} for a project that already gave the names {@code kept}. */
    public static Config bind(RawMap root, Path source, String file, ConfigForm form, List<Problem> earlier,
                              KeptNames kept) {
        return new ConfigBinder(source, file, form, null, kept).run(root, earlier);
    }

    /**
     * Binds an addition to {@code base} ({@code katapult add FILE}): names resolve against base and
     * addition together, names must be unique across both, and the result is the merged config:
     * base's instances, environments and jobs followed by the new ones; the global keys the addition
     * sets replace base's ({@code project} and {@code provider} cannot change).
     */
    public static Config bindAddition(RawMap root, Path source, String file, ConfigForm form, Config base,
                                      List<Problem> earlier) {
        return bindAddition(root, source, file, form, base, earlier, KeptNames.NONE);
    }

    /** {@link #bindAddition} for a project that already gave the names {@code kept}. */
    public static Config bindAddition(RawMap root, Path source, String file, ConfigForm form, Config base,
                                      List<Problem> earlier, KeptNames kept) {
        return new ConfigBinder(source, file, form, base, kept).run(root, earlier);
    }

    // ------------------------------------------------------------------------------------------ globals

    private Config run(RawMap root, List<Problem> earlier) {
        in.problems.addAll(earlier);
        in.checkKeys(root, Block.CONFIG);

        Config.ProviderKind provider = in.read(root, GlobalKeys.PROVIDER);
        if (base != null && provider != null && provider != base.provider()) {
            in.problem(in.line(root, "provider"), "'" + in.spell(GlobalKeys.PROVIDER) + "' cannot change in an addition: "
                    + "the config it adds to uses '" + Readers.lower(base.provider()) + "'");
        }
        if (base != null) {
            provider = base.provider();
        } else if (provider == null) {
            provider = Config.ProviderKind.LOCAL;
        }
        in.provider = provider;

        String project = project(root);
        String profile = orBase(in.read(root, GlobalKeys.PROFILE), Config::profile, null);
        boolean dev = orBase(in.read(root, GlobalKeys.DEV), Config::dev, false);
        Integer debugValue = in.read(root, GlobalKeys.DEBUG);
        int debug = orBase(debugValue, Config::debug, 1);
        Config.Maestro maestro = orBase(in.read(root, GlobalKeys.MAESTRO),
                Config::maestro, Config.Maestro.LOCAL);
        if (maestro == Config.Maestro.REMOTE && provider == Config.ProviderKind.LOCAL && in.given(root, "maestro")) {
            in.problem(in.line(root, "maestro"), "'" + in.spell(GlobalKeys.MAESTRO) + "' remote runs the maestro on an "
                    + "instance of a cloud provider; the 'local' provider has none: use 'local'");
        }
        boolean autoStop = orBase(in.read(root, GlobalKeys.AUTO_STOP), Config::autoStop, true);
        Config.JobAssign jobAssign = orBase(in.read(root, GlobalKeys.JOB_ASSIGN),
                Config::jobAssign, Config.JobAssign.MULTI_KNAPSACK);
        boolean recover = orBase(in.read(root, GlobalKeys.RECOVER), Config::recover, true);
        boolean printDeploy = orBase(in.read(root, GlobalKeys.PRINT_DEPLOY), Config::printDeploy, false);
        boolean mutualize = orBase(in.read(root, GlobalKeys.MUTUALIZE_UPLOADS), Config::mutualizeUploads, true);
        boolean sshOpen = orBase(in.read(root, GlobalKeys.SSH_OPEN), Config::sshOpen, false);
        Duration retryBudget = orBase(in.read(root, GlobalKeys.RETRY_BUDGET), Config::retryBudget,
                DEFAULT_RETRY_BUDGET);
        String maestroType = orBase(in.read(root, GlobalKeys.MAESTRO_TYPE), Config::maestroType,
                Config.DEFAULT_MAESTRO_TYPE);
        in.sshOpen = sshOpen;
        Config.Limits limits = new Config.Limits(
                orBase(in.read(root, GlobalKeys.MAX_RUNS), c -> c.limits().runs(), Config.Limits.DEFAULT.runs()),
                orBase(in.read(root, GlobalKeys.MAX_INSTANCES), c -> c.limits().instances(),
                        Config.Limits.DEFAULT.instances()),
                orBase(in.read(root, GlobalKeys.CONFIRM_ABOVE), c -> c.limits().confirmAbove(),
                        Config.Limits.DEFAULT_CONFIRM_ABOVE),
                orBase(in.read(root, GlobalKeys.MAX_COST), c -> c.limits().maxCost(), null));

        List<InstanceSpec> instances = new ArrayList<>(base == null ? List.of() : base.instances());
        InstanceBinder instanceBinder = new InstanceBinder(in);
        Lifecycle lifecycle = (base == null ? Lifecycle.DEFAULT : base.lifecycle()).override(
                in.read(root, GlobalKeys.IDLE_STOP), in.read(root, GlobalKeys.HEARTBEAT_TIMEOUT),
                in.read(root, GlobalKeys.ABANDON_AFTER));
        List<RawMap> entries = instanceBinder.bindInstances(root, provider, lifecycle, instances);
        instanceBinder.checkInstanceCount(instances, entries, limits.instances());
        List<EnvironmentSpec> environments = new ArrayList<>(base == null ? List.of() : base.environments());
        Set<String> envNames = new EnvironmentBinder(in).bindEnvironments(root, environments);
        List<JobSpec> jobs = new ArrayList<>(base == null ? List.of() : base.jobs());
        JobBinder jobBinder = new JobBinder(in);
        jobBinder.bindJobs(root, envNames, instances, jobs);
        jobBinder.checkRuns(root, limits.runs());

        if (!in.problems.isEmpty()) {
            throw new ConfigException(sorted(in.problems));
        }
        Path configSource = base != null ? base.source() : in.source;
        return new Config(configSource, project, profile, dev, debug, maestro, autoStop, provider, jobAssign,
                recover, printDeploy, mutualize, sshOpen, retryBudget, lifecycle, instances, environments, jobs, limits,
                InertKeys.warnings(root, in.file, in.form), JobGraph.of(jobs), maestroType);
    }

    private String project(RawMap root) {
        String project = in.read(root, GlobalKeys.PROJECT);
        if (project != null) {
            if (!NAME.matcher(project).matches()) {
                in.problem(in.line(root, "project"), "'" + in.spell(GlobalKeys.PROJECT) + "' " + NAME_RULE + "; got '"
                        + project + "'");
            } else if (base != null && !project.equals(base.project())) {
                in.problem(in.line(root, "project"), "'" + in.spell(GlobalKeys.PROJECT) + "' cannot change in an addition: "
                        + "the config it adds to is project '" + base.project() + "'");
            }
            return project;
        }
        if (base != null) {
            return base.project();
        }
        String stem = stem(in.source.getFileName().toString());
        if (!NAME.matcher(stem).matches()) {
            in.problem(Math.max(1, root.line()), "the project is named after the file, but '" + stem + "' is not a valid "
                    + "name (it " + NAME_RULE + "); set '" + in.spell(GlobalKeys.PROJECT) + "'");
        }
        return stem;
    }

    private <T> T orBase(T value, Function<Config, T> fromBase, T otherwise) {
        if (value != null) {
            return value;
        }
        return base != null ? fromBase.apply(base) : otherwise;
    }


    private static List<Problem> sorted(List<Problem> problems) {
        Set<Problem> unique = new LinkedHashSet<>(problems);
        List<Problem> out = new ArrayList<>(unique);
        out.sort(Comparator.comparingInt(Problem::line));
        return out;
    }

    // ------------------------------------------------------------------------------------------- names

    /** A file name without its last extension. */
    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    static String firstWord(String command) {
        String first;
        try {
            List<String> words = ShellWords.split(command);
            first = words.isEmpty() ? "" : words.get(0);
        } catch (IllegalArgumentException e) {
            String[] parts = command.trim().split("\\s+");
            first = parts.length == 0 ? "" : parts[0];
        }
        int slash = first.lastIndexOf('/');
        return slash >= 0 ? first.substring(slash + 1) : first;
    }

    /** Makes a word fit {@link #NAME}; "job" when nothing is left. */
    static String sanitize(String word) {
        String s = word.replaceAll("[^A-Za-z0-9_.-]", "_").replaceFirst("^[^A-Za-z0-9]+", "");
        return s.isEmpty() ? "job" : s;
    }

    /** The key a default job name is made from: the SHA-256 of what the job runs, in hex. */
    public static String nameKey(String text) {
        return Hashes.of(text);
    }

    /** The first 6 hex digits of the SHA-256 of a text (UTF-8). */
    public static String sha6(String text) {
        return Hashes.of(text).substring(0, DefaultNames.MIN_DIGITS);
    }


}
