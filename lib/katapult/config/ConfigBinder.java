package katapult.config;

import groovy.time.BaseDuration;
import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import katapult.config.ConfigKeys.Block;
import katapult.config.EnvironmentSpec.SetupCommand;
import katapult.config.JobSpec.ScriptCall;

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

    private static final String NAME_RULE =
            "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'";

    private final Path source;
    private final Path dir;
    private final String file;
    private final ConfigForm form;
    private final Config base;
    private final KeptNames kept;
    private final List<Problem> problems = new ArrayList<>();
    /** The provider in force, known once the globals are read. */
    private Config.ProviderKind provider = Config.ProviderKind.LOCAL;
    /** Whether an ssh_cidr may open SSH to every address, known once the globals are read. */
    private boolean sshOpen;

    private ConfigBinder(Path source, String file, ConfigForm form, Config base, KeptNames kept) {
        this.source = source.toAbsolutePath().normalize();
        Path parent = this.source.getParent();
        this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
        this.file = file;
        this.form = form;
        this.base = base;
        this.kept = kept;
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
        problems.addAll(earlier);
        checkKeys(root, Block.CONFIG);

        Config.ProviderKind provider = choice(root, Block.CONFIG, "provider", Config.ProviderKind.class);
        if (base != null && provider != null && provider != base.provider()) {
            problem(line(root, "provider"), "'" + spell(Block.CONFIG, "provider") + "' cannot change in an addition: "
                    + "the config it adds to uses '" + lower(base.provider()) + "'");
        }
        if (base != null) {
            provider = base.provider();
        } else if (provider == null) {
            provider = Config.ProviderKind.LOCAL;
        }
        this.provider = provider;

        String project = project(root);
        String profile = orBase(str(root, Block.CONFIG, "profile"), Config::profile, null);
        boolean dev = orBase(bool(root, Block.CONFIG, "dev"), Config::dev, false);
        Integer debugValue = whole(root, Block.CONFIG, "debug", 0, 3, "0, 1, 2 or 3");
        int debug = orBase(debugValue, Config::debug, 1);
        Config.Maestro maestro = orBase(choice(root, Block.CONFIG, "maestro", Config.Maestro.class),
                Config::maestro, Config.Maestro.LOCAL);
        if (maestro == Config.Maestro.REMOTE && provider == Config.ProviderKind.LOCAL && given(root, "maestro")) {
            problem(line(root, "maestro"), "'" + spell(Block.CONFIG, "maestro") + "' remote runs the maestro on an "
                    + "instance of a cloud provider; the 'local' provider has none: use 'local'");
        }
        boolean autoStop = orBase(bool(root, Block.CONFIG, "auto_stop"), Config::autoStop, true);
        Config.JobAssign jobAssign = orBase(choice(root, Block.CONFIG, "job_assign", Config.JobAssign.class),
                Config::jobAssign, Config.JobAssign.MULTI_KNAPSACK);
        boolean recover = orBase(bool(root, Block.CONFIG, "recover"), Config::recover, true);
        boolean printDeploy = orBase(bool(root, Block.CONFIG, "print_deploy"), Config::printDeploy, false);
        boolean mutualize = orBase(bool(root, Block.CONFIG, "mutualize_uploads"), Config::mutualizeUploads, true);
        boolean sshOpen = orBase(bool(root, Block.CONFIG, "ssh_open"), Config::sshOpen, false);
        Duration retryBudget = orBase(duration(root, Block.CONFIG, "retry_budget"), Config::retryBudget,
                DEFAULT_RETRY_BUDGET);
        this.sshOpen = sshOpen;
        Config.Limits limits = new Config.Limits(
                orBase(whole(root, Block.CONFIG, "max_runs", 1), c -> c.limits().runs(), Config.Limits.DEFAULT.runs()),
                orBase(whole(root, Block.CONFIG, "max_instances", 1), c -> c.limits().instances(),
                        Config.Limits.DEFAULT.instances()));

        List<InstanceSpec> instances = new ArrayList<>(base == null ? List.of() : base.instances());
        List<RawMap> entries = bindInstances(root, provider, instances);
        checkInstanceCount(instances, entries, limits.instances());
        List<EnvironmentSpec> environments = new ArrayList<>(base == null ? List.of() : base.environments());
        Set<String> envNames = bindEnvironments(root, environments);
        List<JobSpec> jobs = new ArrayList<>(base == null ? List.of() : base.jobs());
        bindJobs(root, envNames, instances, jobs);
        checkRuns(root, limits.runs());

        if (!problems.isEmpty()) {
            throw new ConfigException(sorted(problems));
        }
        Path configSource = base != null ? base.source() : source;
        return new Config(configSource, project, profile, dev, debug, maestro, autoStop, provider, jobAssign,
                recover, printDeploy, mutualize, sshOpen, retryBudget, instances, environments, jobs, limits,
                InertKeys.warnings(root, file, form));
    }

    private String project(RawMap root) {
        String project = str(root, Block.CONFIG, "project");
        if (project != null) {
            if (!NAME.matcher(project).matches()) {
                problem(line(root, "project"), "'" + spell(Block.CONFIG, "project") + "' " + NAME_RULE + "; got '"
                        + project + "'");
            } else if (base != null && !project.equals(base.project())) {
                problem(line(root, "project"), "'" + spell(Block.CONFIG, "project") + "' cannot change in an addition: "
                        + "the config it adds to is project '" + base.project() + "'");
            }
            return project;
        }
        if (base != null) {
            return base.project();
        }
        String stem = stem(source.getFileName().toString());
        if (!NAME.matcher(stem).matches()) {
            problem(Math.max(1, root.line()), "the project is named after the file, but '" + stem + "' is not a valid "
                    + "name (it " + NAME_RULE + "); set '" + spell(Block.CONFIG, "project") + "'");
        }
        return stem;
    }

    private <T> T orBase(T value, java.util.function.Function<Config, T> fromBase, T otherwise) {
        if (value != null) {
            return value;
        }
        return base != null ? fromBase.apply(base) : otherwise;
    }

    // ---------------------------------------------------------------------------------------- instances

    /** @return the entry each instance comes from, in the order of {@code instances} (null for the base's) */
    private List<RawMap> bindInstances(RawMap root, Config.ProviderKind provider, List<InstanceSpec> instances) {
        Map<String, Integer> seen = new HashMap<>();
        List<RawMap> entries = new ArrayList<>();
        for (InstanceSpec existing : instances) {
            seen.put(existing.name(), 0);
            entries.add(null);
        }
        int index = instances.size();
        for (RawMap m : items(root, "instances", Block.INSTANCE)) {
            index++;
            checkKeys(m, Block.INSTANCE);
            InstanceSpec spec = bindInstance(m, index, provider);
            int nameLine = given(m, "name") ? line(m, "name") : m.line();
            for (InstanceSpec one : sshHosts(m, spec, provider)) {
                Integer first = seen.putIfAbsent(one.name(), nameLine);
                if (first != null) {
                    problem(nameLine, "two instances are named '" + one.name() + "'" + where(first)
                            + "; instance names must be unique");
                }
                instances.add(one);
                entries.add(m);
            }
        }
        return entries;
    }

    /**
     * More instances than {@code max_instances} is refused at the entry that goes past it. Local machines have this
     * machine's cores, so what explode makes of them is known here; an aws type's size only EC2 tells, so the
     * planner counts aws entries again once it knows.
     */
    private void checkInstanceCount(List<InstanceSpec> instances, List<RawMap> entries, int limit) {
        InstanceCount.over(instances, spec -> spec.cpus() == null ? 1 : spec.cpus(), this::knownMachineCpus, limit, form)
                .ifPresent(over -> {
                    RawMap m = entries.get(over.index());
                    int line = m == null ? 0 : over.split() && given(m, "cpus") ? line(m, "cpus")
                            : given(m, "number") ? line(m, "number") : m.line();
                    problem(line, over.message());
                });
    }

    /** The most cpus one machine of an entry holds, as far as known without asking the provider. */
    private int knownMachineCpus(InstanceSpec spec) {
        return provider == Config.ProviderKind.LOCAL ? Runtime.getRuntime().availableProcessors() : Integer.MAX_VALUE;
    }

    /**
     * The ssh provider: {@code hosts} gives one instance per host ({@code <name>-<n>}, each {@code [user@]host[:port]}
     * with this entry's user, port, key and cpus as defaults); {@code number} other than 1 is an error, {@code explode}
     * is ignored (one host is one machine, never split).
     */
    private List<InstanceSpec> sshHosts(RawMap m, InstanceSpec spec, Config.ProviderKind provider) {
        Block b = Block.INSTANCE;
        if (provider != Config.ProviderKind.SSH) {
            return List.of(spec);
        }
        if (!given(m, "hosts")) {
            spec = new InstanceSpec(spec.name(), spec.region(), spec.cloudId(), spec.imgId(), spec.imgUsername(),
                    spec.type(), spec.cpus(), spec.gpu(), spec.diskSize(), spec.diskType(), spec.eco(), spec.ecoLife(),
                    spec.maxBid(), spec.number(), false, spec.host(), spec.user(), spec.port(), spec.key(),
                    spec.endpoint(), spec.sshPort(), spec.sshCidr());
        }
        // explode is ignored: one host is one machine, never split
        if (given(m, "number") && spec.number() != 1) {
            problem(line(m, "number"), "'" + spell(b, "number") + "' does not apply to the ssh provider (one entry is"
                    + " one host; list several with '" + spell(b, "hosts") + "')");
        }
        if (!given(m, "hosts")) {
            return List.of(spec);
        }
        List<String> hosts = strings(m, b, "hosts");
        if (given(m, "host")) {
            problem(line(m, "hosts"), "give '" + spell(b, "host") + "' or '" + spell(b, "hosts") + "', not both");
        }
        if (hosts.isEmpty()) {
            problem(line(m, "hosts"), "'" + spell(b, "hosts") + "' lists no host");
            return List.of();
        }
        List<InstanceSpec> out = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (int n = 0; n < hosts.size(); n++) {
            String entry = hosts.get(n);
            java.util.regex.Matcher h = HOST_ENTRY.matcher(entry);
            if (!h.matches() || (h.group(3) != null && (Integer.parseInt(h.group(3)) < 1
                    || Integer.parseInt(h.group(3)) > 65_535))) {
                problem(line(m, "hosts"), "'" + spell(b, "hosts") + "': '" + entry + "' is not [user@]host[:port]");
                continue;
            }
            if (!distinct.add(entry)) {
                problem(line(m, "hosts"), "'" + spell(b, "hosts") + "' lists '" + entry + "' twice");
            }
            String host = h.group(2).startsWith("[") ? h.group(2).substring(1, h.group(2).length() - 1) : h.group(2);
            out.add(new InstanceSpec(hosts.size() == 1 ? spec.name() : spec.name() + "-" + (n + 1), spec.region(),
                    spec.cloudId(), spec.imgId(), spec.imgUsername(), spec.type(), spec.cpus(), spec.gpu(),
                    spec.diskSize(), spec.diskType(), spec.eco(), spec.ecoLife(), spec.maxBid(), 1, false, host,
                    h.group(1) != null ? h.group(1) : spec.user(),
                    h.group(3) != null ? Integer.valueOf(h.group(3)) : spec.port(),
                    spec.key(), spec.endpoint(), spec.sshPort(), spec.sshCidr()));
        }
        return out;
    }

    private static final Pattern HOST_ENTRY =
            Pattern.compile("(?:([A-Za-z0-9._-]+)@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    private InstanceSpec bindInstance(RawMap m, int index, Config.ProviderKind provider) {
        Block b = Block.INSTANCE;
        String name = name(m, b);
        if (name == null) {
            name = lower(provider) + "-" + index;
        }
        Integer cpus = whole(m, b, "cpus", 1);
        if (cpus == null && provider == Config.ProviderKind.LOCAL && !given(m, "cpus")) {
            cpus = Runtime.getRuntime().availableProcessors();
        }
        String imgUsername = str(m, b, "img_username");
        if (imgUsername == null && provider == Config.ProviderKind.AWS) {
            imgUsername = "ubuntu";
        }
        Integer port = whole(m, b, "port", 1, 65_535, "a port number (1 to 65535)");
        if (port == null && provider == Config.ProviderKind.SSH) {
            port = 22;
        }
        Integer sshPort = whole(m, b, "ssh_port", 1, 65_535, "a port number (1 to 65535)");
        if (sshPort == null && provider == Config.ProviderKind.AWS) {
            sshPort = 22;
        }
        String host = str(m, b, "host");
        if (provider == Config.ProviderKind.SSH && host == null && !given(m, "host") && !given(m, "hosts")) {
            problem(m.line(), "instance '" + name + "' needs '" + spell(b, "host") + "' (the machine to reach) "
                    + "with the ssh provider");
        }
        String type = str(m, b, "type");
        if (provider == Config.ProviderKind.AWS && type == null && !given(m, "type")) {
            problem(m.line(), "instance '" + name + "' needs '" + spell(b, "type") + "' (an instance type such as "
                    + "'t3.large') with the aws provider");
        }
        String key = str(m, b, "key");
        if (key != null) {
            Path keyPath = path(key, line(m, "key"), "key");
            if (keyPath != null) {
                if (provider == Config.ProviderKind.SSH && !Files.isRegularFile(keyPath)) {
                    problem(line(m, "key"), "'" + spell(b, "key") + "': no such file '" + key + "' (" + keyPath + ")");
                }
                key = keyPath.toString();
            }
        }
        String sshCidr = str(m, b, "ssh_cidr");
        if (sshCidr != null && !sshCidr.matches("[0-9A-Fa-f.:]+/\\d{1,3}")) {
            problem(line(m, "ssh_cidr"), "'" + spell(b, "ssh_cidr") + "' must be a CIDR block such as '203.0.113.7/32', got "
                    + show(m.get("ssh_cidr").value()));
        }
        if (sshCidr != null && sshCidr.matches("[0-9A-Fa-f.:]+/0") && !sshOpen) {
            problem(line(m, "ssh_cidr"), "'" + spell(b, "ssh_cidr") + "' " + sshCidr + " lets every address on the"
                    + " internet try to log in to your instances: name the addresses you connect from (e.g. your own"
                    + " /32), or say '" + spell(Block.CONFIG, "ssh_open") + " true' if this is really meant");
        }
        Double maxBid = positive(m, b, "max_bid");
        Integer number = whole(m, b, "number", 1);
        Boolean explode = bool(m, b, "explode");
        Boolean eco = bool(m, b, "eco");
        return new InstanceSpec(
                name,
                str(m, b, "region"),
                str(m, b, "cloud_id"),
                str(m, b, "img_id"),
                imgUsername,
                type,
                cpus,
                str(m, b, "gpu"),
                whole(m, b, "disk_size", 1),
                str(m, b, "disk_type"),
                eco != null && eco,
                duration(m, b, "eco_life"),
                maxBid,
                number == null ? 1 : number,
                explode == null || explode,
                host,
                str(m, b, "user"),
                port,
                key,
                str(m, b, "endpoint"),
                sshPort,
                sshCidr);
    }

    // ------------------------------------------------------------------------------------- environments

    private Set<String> bindEnvironments(RawMap root, List<EnvironmentSpec> environments) {
        List<RawMap> raw = items(root, "environments", Block.ENVIRONMENT);
        int fromBase = environments.size();
        int total = fromBase + raw.size();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (EnvironmentSpec existing : environments) {
            seen.put(existing.name(), 0);
        }
        for (RawMap m : raw) {
            checkKeys(m, Block.ENVIRONMENT);
            String name = name(m, Block.ENVIRONMENT);
            if (name == null && !given(m, "name")) {
                if (total == 1) {
                    name = "default";
                } else {
                    problem(m.line(), "this environment needs a '" + spell(Block.ENVIRONMENT, "name") + "': there are "
                            + total + " environments" + (fromBase == 0 ? "" : " (with those of the config it adds to)")
                            + ", and only a lone environment may go unnamed");
                }
            }
            if (name != null) {
                int nameLine = given(m, "name") ? line(m, "name") : m.line();
                Integer first = seen.putIfAbsent(name, nameLine);
                if (first != null) {
                    problem(nameLine, "two environments are named '" + name + "'" + where(first)
                            + "; environment names must be unique");
                }
            }
            EnvironmentSpec spec = bindEnvironment(m, name == null ? "?" : name);
            if (spec != null) {
                environments.add(spec);
            }
        }
        return seen.keySet();
    }

    private EnvironmentSpec bindEnvironment(RawMap m, String name) {
        Block b = Block.ENVIRONMENT;
        SetupCommand command = setupCommand(m);
        PackageSource conda = packages(m, "env_conda");
        PackageSource pypi = packages(m, "env_pypi");
        String indexUrl = str(m, b, "env_pypi_index_url");
        Path findLinks = null;
        String links = str(m, b, "env_pypi_find_links");
        if (links != null) {
            findLinks = path(links, line(m, "env_pypi_find_links"), "env_pypi_find_links");
            if (findLinks != null && !Files.isDirectory(findLinks)) {
                problem(line(m, "env_pypi_find_links"), "'" + spell(b, "env_pypi_find_links") + "' must be a local folder of "
                        + "wheels; no such folder '" + links + "' (" + findLinks + ")");
            }
        }
        Boolean noIndexValue = bool(m, b, "env_pypi_no_index");
        boolean noIndex = noIndexValue != null && noIndexValue;
        if (noIndex && links == null && !given(m, "env_pypi_find_links")) {
            problem(line(m, "env_pypi_no_index"), "'" + spell(b, "env_pypi_no_index") + "' installs only from '"
                    + spell(b, "env_pypi_find_links") + "', which is not set");
        }
        if (noIndex && indexUrl != null) {
            problem(line(m, "env_pypi_no_index"), "'" + spell(b, "env_pypi_no_index") + "' and '"
                    + spell(b, "env_pypi_index_url") + "' contradict each other: pip cannot both use an index and none");
        }
        return new EnvironmentSpec(name, command, strings(m, b, "env_aptget"), conda,
                strings(m, b, "env_conda_channels"), pypi, strings(m, b, "env_julia"), indexUrl, findLinks, noIndex);
    }

    private SetupCommand setupCommand(RawMap m) {
        String command = str(m, Block.ENVIRONMENT, "command");
        if (command == null || command.isBlank()) {
            return null;
        }
        int line = line(m, "command");
        Path p = quietPath(command.trim());
        if (p != null && Files.isRegularFile(p)) {
            return new SetupCommand.ScriptFile(p);
        }
        if (command.trim().endsWith(".sh")) {
            problem(line, "'" + spell(Block.ENVIRONMENT, "command") + "': no such file '" + command.trim() + "'"
                    + (p != null ? " (" + p + ")" : "") + "; a name ending in .sh must be a local script to upload");
            return null;
        }
        return new SetupCommand.Inline(command);
    }

    private PackageSource packages(RawMap m, String key) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        if (v.value() instanceof List) {
            List<String> names = strings(m, Block.ENVIRONMENT, key);
            return names.isEmpty() ? null : new PackageSource.Packages(names);
        }
        if (!(v.value() instanceof CharSequence)) {
            typeProblem(v, Block.ENVIRONMENT, key, "a list of packages, or a string (a file, a folder or one package)");
            return null;
        }
        String s = v.value().toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        Path p = quietPath(s);
        if (p != null && Files.isRegularFile(p)) {
            return new PackageSource.SpecFile(p);
        }
        if (p != null && Files.isDirectory(p)) {
            return new PackageSource.ExistingRoot(p.toString());
        }
        String lower = s.toLowerCase(Locale.ROOT);
        boolean specLike = lower.endsWith(".txt") || lower.endsWith(".yml") || lower.endsWith(".yaml");
        if (specLike || s.contains("/")) {
            if (!specLike && s.startsWith("/") && provider != Config.ProviderKind.LOCAL) {
                // an absolute folder that only the instances have: an environment already installed there
                return new PackageSource.ExistingRoot(s);
            }
            problem(v.line(), "'" + spell(Block.ENVIRONMENT, key) + "': no such file '" + s + "'"
                    + (p != null ? " (" + p + ")" : "") + (specLike ? "" : "; a folder must be an existing environment root"));
            return null;
        }
        return new PackageSource.Packages(List.of(s));
    }

    // --------------------------------------------------------------------------------------------- jobs

    /** A job being bound, with what the cross-checks need. */
    private record Draft(JobSpec spec, int line, int nameLine, boolean defaultName, String what,
                         Located after, Located cpusReq, String word) {

        Draft withName(String name) {
            return new Draft(spec.withName(name), line, nameLine, defaultName, what, after, cpusReq, word);
        }
    }

    private void bindJobs(RawMap root, Set<String> envNames, List<InstanceSpec> instances, List<JobSpec> jobs) {
        List<Draft> drafts = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        List<RawMap> raw = items(root, "jobs", Block.JOB);
        for (RawMap m : raw) {
            if (val(m, "name") != null && val(m, "name").value() instanceof CharSequence cs) {
                declared.add(cs.toString());
            }
        }
        for (RawMap m : raw) {
            checkKeys(m, Block.JOB);
            Draft d = bindJob(m, envNames);
            if (d != null) {
                drafts.add(d);
            }
        }
        drafts = nameDefaults(drafts, jobs);
        // unique names, against the base's too
        Map<String, Draft> byName = new HashMap<>();
        Set<String> allNames = new LinkedHashSet<>();
        for (JobSpec existing : jobs) {
            allNames.add(existing.name());
        }
        for (Draft d : drafts) {
            String name = d.spec().name();
            Draft first = byName.get(name);
            if (first != null) {
                problem(d.nameLine(), "two jobs are named '" + name + "'" + where(first.nameLine())
                        + "; job names must be unique");
            } else if (allNames.contains(name)) {
                problem(d.nameLine(), "a job named '" + name + "' is already in the config this file adds to; "
                        + "job names must be unique" + (d.defaultName() ? " (give this one a '" + spell(Block.JOB, "name")
                        + "', or raise 'repeat' there)" : ""));
            } else {
                byName.put(name, d);
            }
            allNames.add(name);
        }
        Set<String> referable = new LinkedHashSet<>(allNames);
        referable.addAll(declared);
        checkAfter(drafts, referable, jobs);
        checkUpstreamNames(drafts, jobs);
        checkCpus(drafts, instances);
        for (Draft d : drafts) {
            jobs.add(d.spec());
        }
    }

    /** More runs than {@code max_runs} is refused at the job that goes past it: its state would not fit a session. */
    private void checkRuns(RawMap root, int limit) {
        long total = base == null ? 0 : base.jobs().stream().mapToLong(JobSpec::repeat).sum();
        for (RawMap m : items(root, "jobs", Block.JOB)) {
            Located repeat = val(m, "repeat");
            Long n = repeat == null ? null : wholeValue(repeat.value());
            boolean counted = n != null && n >= 1;
            total += counted ? n : 1;
            if (total > limit) {
                problem(repeat == null ? m.line() : repeat.line(), "this job brings the project to "
                        + InstanceCount.grouped(total) + " runs" + (counted ? " ('" + spell(Block.JOB, "repeat")
                        + "' " + n + ")" : "") + "; a project may have at most " + InstanceCount.grouped(limit) + " runs (raise '"
                        + spell(Block.CONFIG, "max_runs") + "' to allow more)");
                return;
            }
        }
    }

    /**
     * Gives the jobs without a name their default one, unique among all jobs; drops (and reports) those that run
     * exactly what another one runs, as they could only have the same name.
     */
    private List<Draft> nameDefaults(List<Draft> drafts, List<JobSpec> baseJobs) {
        List<DefaultNames.Candidate> candidates = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Map<String, JobSpec> baseByKey = new HashMap<>();
        for (JobSpec existing : baseJobs) {
            // a base job's given name is not avoided: the same job submitted again from a script must meet it
            if (existing.nameKey() != null) {
                baseByKey.put(existing.nameKey(), existing);
                candidates.add(new DefaultNames.Candidate(stemOf(existing.name()), existing.nameKey(),
                        existing.name()));
            }
        }
        Map<String, Draft> byKey = new HashMap<>();
        List<Draft> twins = new ArrayList<>();
        List<Draft> unnamed = new ArrayList<>();
        for (Draft d : drafts) {
            if (!d.defaultName()) {
                taken.add(d.spec().name());
                continue;
            }
            String key = d.spec().nameKey();
            Draft first = byKey.putIfAbsent(key, d);
            if (first != null) {
                twins.add(d);
            } else if (baseByKey.containsKey(key)) {
                problem(d.line(), "a job named '" + baseByKey.get(key).name() + "' is already in the config this file"
                        + " adds to; job names must be unique (give this one a '" + spell(Block.JOB, "name")
                        + "', or raise 'repeat' there)");
            } else {
                unnamed.add(d);
                candidates.add(new DefaultNames.Candidate(d.word(), key, null));
            }
        }
        List<String> names = DefaultNames.assign(candidates, taken, kept);
        Map<Draft, String> given = new IdentityHashMap<>();
        int offset = candidates.size() - unnamed.size();
        for (int i = 0; i < unnamed.size(); i++) {
            given.put(unnamed.get(i), names.get(offset + i));
        }
        for (Draft d : twins) {
            Draft first = byKey.get(d.spec().nameKey());
            String name = given.containsKey(first) ? given.get(first) : baseByKey.get(d.spec().nameKey()).name();
            problem(d.line(), "this job runs the same " + d.what() + " as the job at line " + first.line()
                    + ", so both would be named '" + name + "'; to run a job several times use '"
                    + spell(Block.JOB, "repeat") + "', otherwise give each a '" + spell(Block.JOB, "name") + "'");
        }
        List<Draft> result = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            if (!d.defaultName()) {
                result.add(d);
            } else if (given.containsKey(d)) {
                result.add(d.withName(given.get(d)));
            }
        }
        return result;
    }

    /** The word of a default name: what comes before its last '-'. */
    private static String stemOf(String defaultName) {
        return defaultName.substring(0, Math.max(0, defaultName.lastIndexOf('-')));
    }

    private Draft bindJob(RawMap m, Set<String> envNames) {
        Block b = Block.JOB;
        String envName = str(m, b, "env_name");
        if (envName != null) {
            if (!envNames.contains(envName)) {
                problem(line(m, "env_name"), "'" + spell(b, "env_name") + "' names no environment: '" + envName + "'"
                        + DidYouMean.hint(envName, envNames)
                        + (envNames.isEmpty() ? " (there are no environments)"
                        : DidYouMean.suggest(envName, envNames).isPresent() ? ""
                        : " (environments: " + String.join(", ", envNames) + ")"));
            }
        } else if (!given(m, "env_name")) {
            if (envNames.size() == 1) {
                envName = envNames.iterator().next();
            } else if (envNames.size() > 1) {
                problem(m.line(), "this job needs an '" + spell(b, "env_name") + "': there are several environments ("
                        + String.join(", ", envNames) + ")");
            }
        }
        Integer cpusReq = whole(m, b, "cpus_req", 1);
        Integer repeat = whole(m, b, "repeat", 1);

        ScriptCall script = scriptCall(m);
        String command = str(m, b, "run_command");
        if (command != null && command.isBlank()) {
            command = null;
        }
        boolean scriptGiven = val(m, "run_script") != null;
        if (!scriptGiven && command == null) {
            problem(m.line(), "this job has nothing to run: give it '" + spell(b, "run_script") + "' (a script and its "
                    + "arguments) or '" + spell(b, "run_command") + "' (a command line)");
        }
        // the script, uploads and inputs all land in the run's folder under their own names
        Map<String, Path> landed = new HashMap<>();
        if (script != null) {
            landed.put(script.script().getFileName().toString(), script.script());
        }
        List<Path> uploads = files(m, "upload_files", null, "upload file", landed);
        List<Path> inputs = files(m, "input_files", "input_file", "input file", landed);
        List<String> outputs = outputs(m);
        Located afterValue = val(m, "after");
        List<String> after = strings(m, b, "after");

        String name = name(m, b);
        boolean defaultName = name == null;
        String what;
        String word = null;
        String key = null;
        if (script != null) {
            String rel = relativeForHash(script.script());
            StringBuilder h = new StringBuilder(rel);
            for (String a : script.args()) {
                h.append(' ').append(a);
            }
            what = "script ('" + h + "')";
            if (name == null) {
                word = sanitize(stem(script.script().getFileName().toString()));
                key = nameKey(h.toString());
            }
        } else if (command != null) {
            what = "command ('" + command + "')";
            if (name == null) {
                word = sanitize(firstWord(command));
                key = nameKey(command);
            }
        } else {
            return null;
        }
        if (defaultName && word != null) {
            name = word + "-" + key.substring(0, DefaultNames.MIN_DIGITS); // until nameDefaults sees every job
        }
        if (name == null || (given(m, "name") && val(m, "name") != null && !NAME.matcher(name).matches())) {
            return null;
        }
        JobSpec spec = new JobSpec(name, envName, cpusReq == null ? 1 : cpusReq, script, command, uploads, inputs,
                outputs, repeat == null ? 1 : repeat, after, key);
        int nameLine = given(m, "name") ? line(m, "name") : m.line();
        return new Draft(spec, m.line(), nameLine, defaultName, what, afterValue, val(m, "cpus_req"), word);
    }

    private ScriptCall scriptCall(RawMap m) {
        String text = str(m, Block.JOB, "run_script");
        if (text == null) {
            return null;
        }
        int line = line(m, "run_script");
        String key = spell(Block.JOB, "run_script");
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            problem(line, "'" + key + "' cannot be split into words: " + e.getMessage());
            return null;
        }
        if (words.isEmpty()) {
            problem(line, "'" + key + "' is empty: write the script's path, then its arguments");
            return null;
        }
        Path script = path(words.get(0), line, "run_script");
        if (script == null) {
            return null;
        }
        if (Files.isDirectory(script)) {
            problem(line, "'" + key + "': '" + words.get(0) + "' is a folder, not a script (" + script + ")");
            return null;
        }
        if (!Files.isRegularFile(script)) {
            problem(line, "'" + key + "': no such script '" + words.get(0) + "' (" + script + ")"
                    + (words.get(0).contains("/") || words.size() > 1 ? "" : "; to run a command use '"
                    + spell(Block.JOB, "run_command") + "'"));
            return null;
        }
        return new ScriptCall(script, words.subList(1, words.size()));
    }

    private List<Path> files(RawMap m, String key, String alias, String what, Map<String, Path> landed) {
        String usedKey = key;
        if (alias != null && val(m, alias) != null) {
            if (val(m, key) != null) {
                problem(line(m, alias), "give '" + spell(Block.JOB, key) + "' or '" + aliasSpelling(alias)
                        + "', not both");
                return List.of();
            }
            usedKey = alias;
        }
        Located v = val(m, usedKey);
        if (v == null) {
            return List.of();
        }
        String spelled = usedKey.equals(alias) ? aliasSpelling(alias) : spell(Block.JOB, key);
        List<Path> paths = new ArrayList<>();
        for (Located item : stringItems(v, Block.JOB, usedKey, spelled)) {
            String s = item.value().toString();
            if (s.isBlank()) {
                problem(item.line(), "'" + spelled + "' holds an empty file name");
                continue;
            }
            Path p = path(s, item.line(), usedKey);
            if (p == null) {
                continue;
            }
            if (Files.isDirectory(p)) {
                problem(item.line(), "'" + spelled + "': '" + s + "' is a folder; list the files in it (" + p + ")");
            } else if (!Files.isRegularFile(p)) {
                problem(item.line(), "'" + spelled + "': no such " + what + " '" + s + "' (" + p + ")");
            } else if (paths.contains(p)) {
                problem(item.line(), "'" + spelled + "' lists '" + s + "' twice");
            } else if (landed.containsKey(p.getFileName().toString())
                    && !landed.get(p.getFileName().toString()).equals(p)) {
                problem(item.line(), "'" + spelled + "': '" + s + "' would land in the run's folder as '"
                        + p.getFileName() + "', like " + landed.get(p.getFileName().toString())
                        + "; give the files of one job different names");
            } else {
                landed.put(p.getFileName().toString(), p);
                paths.add(p);
            }
        }
        return paths;
    }

    private List<String> outputs(RawMap m) {
        String key = "output_files";
        if (val(m, "output_file") != null) {
            if (val(m, key) != null) {
                problem(line(m, "output_file"), "give '" + spell(Block.JOB, key) + "' or '" + aliasSpelling("output_file")
                        + "', not both");
                return List.of();
            }
            key = "output_file";
        }
        Located v = val(m, key);
        if (v == null) {
            return List.of();
        }
        String spelled = key.equals("output_file") ? aliasSpelling(key) : spell(Block.JOB, key);
        List<String> outputs = new ArrayList<>();
        for (Located item : stringItems(v, Block.JOB, key, spelled)) {
            String raw = item.value().toString();
            if (raw.codePoints().anyMatch(Character::isISOControl)) {
                problem(item.line(), "'" + spelled + "': '" + escaped(raw) + "' holds a control character (a new line,"
                        + " a tab...); an output is a plain file name relative to the job's working folder");
                continue;
            }
            String s = raw.trim();
            String bad = badOutput(s);
            if (bad != null) {
                problem(item.line(), "'" + spelled + "': '" + s + "' " + bad);
                continue;
            }
            String normal = Path.of(s).normalize().toString().replace(File.separatorChar, '/');
            if (outputs.contains(normal)) {
                problem(item.line(), "'" + spelled + "' lists '" + s + "' twice");
            } else {
                outputs.add(normal);
            }
        }
        return outputs;
    }

    /** Why an output path is not allowed, or null. */
    static String badOutput(String s) {
        if (s.isEmpty()) {
            return "is empty";
        }
        if (s.startsWith("/") || s.startsWith("~") || s.matches("^[A-Za-z]:[\\\\/].*")) {
            return "must be relative to the job's working folder, not absolute";
        }
        Path p;
        try {
            p = Path.of(s);
        } catch (InvalidPathException e) {
            return "is not a valid path";
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                return "must stay inside the job's working folder (no '..')";
            }
        }
        String normal = p.normalize().toString();
        if (normal.isEmpty() || normal.equals(".")) {
            return "names the working folder itself, not a file";
        }
        if (normal.equals("stdout.log") || normal.equals("stderr.log")) {
            return "is where Katapult keeps the run's own log; name the file differently";
        }
        return null;
    }

    private void checkAfter(List<Draft> drafts, Set<String> allNames, List<JobSpec> baseJobs) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (JobSpec j : baseJobs) {
            edges.put(j.name(), j.after());
        }
        Map<String, Draft> drafted = new LinkedHashMap<>();
        for (Draft d : drafts) {
            drafted.putIfAbsent(d.spec().name(), d);
            List<String> known = new ArrayList<>();
            for (String a : d.spec().after()) {
                int line = d.after() == null ? d.line() : d.after().line();
                if (a.equals(d.spec().name())) {
                    problem(line, "job '" + a + "' waits for itself ('" + spell(Block.JOB, "after") + "')");
                } else if (!allNames.contains(a)) {
                    Optional<String> close = DidYouMean.suggest(a, allNames);
                    problem(line, "job '" + d.spec().name() + "' waits for '" + a + "' ('" + spell(Block.JOB, "after")
                            + "'), which is not a job" + close.map(c -> "; did you mean '" + c + "'?").orElse(""));
                } else {
                    known.add(a);
                }
            }
            edges.putIfAbsent(d.spec().name(), known);
        }
        // cycles: depth-first search, reporting each cycle once at its first job in the file
        Map<String, Integer> state = new HashMap<>();
        for (String start : drafted.keySet()) {
            List<String> stack = new ArrayList<>();
            findCycle(start, edges, state, stack, drafted);
        }
    }

    /**
     * The outputs of the jobs a job waits for land in its folder (under their own names when that job has one run):
     * they must not meet one of its own files, nor each other. The planner would refuse them, without a line.
     */
    private void checkUpstreamNames(List<Draft> drafts, List<JobSpec> baseJobs) {
        Map<String, JobSpec> byName = new HashMap<>();
        baseJobs.forEach(j -> byName.putIfAbsent(j.name(), j));
        drafts.forEach(d -> byName.putIfAbsent(d.spec().name(), d.spec()));
        for (Draft d : drafts) {
            JobSpec job = d.spec();
            int line = d.after() == null ? d.line() : d.after().line();
            Set<String> own = new HashSet<>();
            if (job.runScript() != null) {
                own.add(job.runScript().script().getFileName().toString());
            }
            job.uploadFiles().forEach(f -> own.add(f.getFileName().toString()));
            job.inputFiles().forEach(f -> own.add(f.getFileName().toString()));
            Map<String, String> landed = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (String upName : job.after()) {
                JobSpec up = byName.get(upName);
                if (up == null || up.name().equals(job.name())) {
                    continue; // reported by checkAfter
                }
                if (!seen.add(upName)) {
                    problem(line, "'" + spell(Block.JOB, "after") + "' lists '" + upName + "' twice");
                    continue;
                }
                for (String name : up.repeat() == 1 ? up.outputFiles() : List.of(up.name())) {
                    String first = landed.putIfAbsent(name, up.name());
                    if (own.contains(name)) {
                        problem(line, "job '" + job.name() + "' gets '" + name + "' both from its own files and from '"
                                + up.name() + "', which it waits for ('" + spell(Block.JOB, "after") + "'); rename one of them");
                    } else if (first != null) {
                        problem(line, "job '" + job.name() + "' waits for jobs whose outputs have the same names ('" + name
                                + "' from '" + first + "' and '" + up.name() + "'): rename the outputs, or give those jobs "
                                + "more than one '" + spell(Block.JOB, "repeat") + "'");
                    }
                }
            }
        }
    }

    private void findCycle(String node, Map<String, List<String>> edges, Map<String, Integer> state,
                           List<String> stack, Map<String, Draft> drafted) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
            cycle.add(node);
            Draft at = drafted.get(cycle.get(0));
            int line = at == null ? 0 : at.after() != null ? at.after().line() : at.line();
            problem(line, "the jobs wait for each other in a circle ('" + spell(Block.JOB, "after") + "'): "
                    + String.join(" → ", cycle));
            return;
        }
        state.put(node, 1);
        stack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            findCycle(next, edges, state, stack, drafted);
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
    }

    private void checkCpus(List<Draft> drafts, List<InstanceSpec> instances) {
        if (instances.isEmpty() || instances.stream().anyMatch(i -> i.cpus() == null)) {
            return;
        }
        InstanceSpec largest = instances.stream().max(Comparator.comparingInt(this::machineShare)).orElseThrow();
        int share = machineShare(largest);
        String why = share == largest.cpus() ? "'" + spell(Block.INSTANCE, "cpus") + "'"
                : "'" + spell(Block.INSTANCE, "cpus") + "' " + largest.cpus() + " split by '"
                + spell(Block.INSTANCE, "explode") + "' over machines of this one's " + knownMachineCpus(largest) + " cores";
        for (Draft d : drafts) {
            if (d.spec().cpusReq() > share) {
                int line = d.cpusReq() != null ? d.cpusReq().line() : d.line();
                problem(line, "job '" + d.spec().name() + "' asks for " + d.spec().cpusReq() + " cpus ('"
                        + spell(Block.JOB, "cpus_req") + "') but the largest instance, '" + largest.name() + "', has "
                        + share + " (" + why + "): it could never start");
            }
        }
    }

    /** The most cpus one machine of an entry gets once explode has split it, as the planner shares them out. */
    private int machineShare(InstanceSpec spec) {
        int pieces = spec.pieces(spec.cpus(), knownMachineCpus(spec));
        return (int) ((spec.cpus() + (long) pieces - 1) / pieces);
    }

    // -------------------------------------------------------------------------------------- shared reads

    /** The items of a list block ({@code instances}, ...); each must be a map. */
    @SuppressWarnings("unchecked")
    private List<RawMap> items(RawMap root, String key, Block block) {
        Located v = val(root, key);
        if (v == null) {
            return List.of();
        }
        if (v.value() instanceof RawMap single) {
            return List.of(single);
        }
        if (!(v.value() instanceof List)) {
            problem(v.line(), "'" + key + "' must be a list of maps: " + key + ": [[key: value, ...], ...], got "
                    + show(v.value()));
            return List.of();
        }
        List<RawMap> maps = new ArrayList<>();
        for (Located item : (List<Located>) v.value()) {
            if (item.value() instanceof RawMap map) {
                maps.add(map);
            } else if (item.value() != null) {
                problem(item.line(), "each entry of '" + key + "' must be a map [key: value, ...] describing "
                        + block.describe(form) + ", got " + show(item.value()));
            }
        }
        return maps;
    }

    private void checkKeys(RawMap m, Block block) {
        for (String key : m.keys()) {
            if (ConfigKeys.find(block, key).isEmpty()) {
                problem(line(m, key), ConfigKeys.unknownKey(block, key, form));
            }
        }
    }

    private String name(RawMap m, Block b) {
        String name = str(m, b, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(line(m, "name"), "the " + b.word() + " name '" + name + "' " + NAME_RULE);
        }
        return name;
    }

    private static Located val(RawMap m, String key) {
        Located l = m.get(key);
        return l == null || l.value() == null ? null : l;
    }

    private static boolean given(RawMap m, String key) {
        return val(m, key) != null;
    }

    private static int line(RawMap m, String key) {
        Located l = m.get(key);
        return l == null || l.line() <= 0 ? m.line() : l.line();
    }

    private String str(RawMap m, Block b, String key) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        if (v.value() instanceof CharSequence cs) {
            return cs.toString();
        }
        typeProblem(v, b, key, "a string");
        return null;
    }

    private Boolean bool(RawMap m, Block b, String key) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        if (v.value() instanceof Boolean x) {
            return x;
        }
        typeProblem(v, b, key, "true or false");
        return null;
    }

    private Integer whole(RawMap m, Block b, String key, int min) {
        return whole(m, b, key, min, Integer.MAX_VALUE, "a whole number ≥ " + min);
    }

    private Integer whole(RawMap m, Block b, String key, int min, int max, String what) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        Long n = wholeValue(v.value());
        if (n == null || n < min || n > max) {
            typeProblem(v, b, key, what);
            return null;
        }
        return n.intValue();
    }

    private static Long wholeValue(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger bi) {
            return bi.bitLength() < 63 ? bi.longValue() : null;
        }
        if (o instanceof BigDecimal bd) {
            try {
                return bd.stripTrailingZeros().scale() <= 0 ? bd.longValueExact() : null;
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
        }
        return null;
    }

    private Double positive(RawMap m, Block b, String key) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        if (v.value() instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        typeProblem(v, b, key, "a number > 0 ($ per hour)");
        return null;
    }

    private <E extends Enum<E>> E choice(RawMap m, Block b, String key, Class<E> type) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(lower(e));
        }
        if (v.value() instanceof CharSequence cs) {
            String s = cs.toString().trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (lower(e).equals(s)) {
                    return e;
                }
            }
            problem(v.line(), "'" + spell(b, key) + "' must be one of " + String.join(", ", allowed) + "; got '" + cs + "'"
                    + DidYouMean.hint(cs.toString(), allowed));
            return null;
        }
        typeProblem(v, b, key, "one of " + allowed.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", ")));
        return null;
    }

    private Duration duration(RawMap m, Block b, String key) {
        Located v = val(m, key);
        if (v == null) {
            return null;
        }
        Object o = v.value();
        String unitHelp = "write it with a unit: '45s', '90m', '2h', '1d' or '1h30m'";
        Duration d = null;
        if (o instanceof Duration x) {
            d = x;
        } else if (o instanceof BaseDuration x) {
            d = Duration.ofMillis(x.toMilliseconds());
        } else if (o instanceof Number) {
            problem(v.line(), "'" + spell(b, key) + "' needs a unit, got " + show(o) + "; " + unitHelp);
            return null;
        } else if (o instanceof CharSequence cs) {
            d = Durations.parse(cs.toString());
            if (d == null) {
                String s = cs.toString().trim();
                problem(v.line(), "'" + spell(b, key) + "' " + (s.matches("\\d+") ? "needs a unit" : "is not a duration")
                        + ", got '" + cs + "'; " + unitHelp);
                return null;
            }
        } else {
            typeProblem(v, b, key, "a duration such as '90m' or '2h'");
            return null;
        }
        if (d.isNegative() || d.isZero()) {
            problem(v.line(), "'" + spell(b, key) + "' must be longer than zero, got " + show(o));
            return null;
        }
        return d;
    }

    /** A string or a list of strings, as a list (empty when absent). */
    private List<String> strings(RawMap m, Block b, String key) {
        Located v = val(m, key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Located item : stringItems(v, b, key, spell(b, key))) {
            String s = item.value().toString().trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Located> stringItems(Located v, Block b, String key, String spelled) {
        if (v.value() instanceof CharSequence cs) {
            return List.of(new Located(cs.toString(), v.line()));
        }
        if (v.value() instanceof List) {
            List<Located> out = new ArrayList<>();
            for (Located item : (List<Located>) v.value()) {
                if (item.value() instanceof CharSequence cs) {
                    out.add(new Located(cs.toString(), item.line()));
                } else if (item.value() != null) {
                    problem(item.line(), "'" + spelled + "' must hold strings, got " + show(item.value()));
                }
            }
            return out;
        }
        problem(v.line(), "'" + spelled + "' must be a string or a list of strings, got " + show(v.value()));
        return List.of();
    }

    private Path path(String s, int line, String key) {
        Path p = quietPath(s);
        if (p == null) {
            problem(line, "'" + s + "' is not a valid path ('" + key + "')");
        }
        return p;
    }

    private Path quietPath(String s) {
        try {
            String expanded = s;
            if (s.equals("~") || s.startsWith("~/")) {
                expanded = System.getProperty("user.home") + s.substring(1);
            }
            Path p = Path.of(expanded);
            return (p.isAbsolute() ? p : dir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private String relativeForHash(Path script) {
        Path root = base != null && base.source() != null && base.source().getParent() != null
                ? base.source().toAbsolutePath().getParent() : dir;
        try {
            return root.relativize(script).toString().replace(File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return script.toString();
        }
    }

    // ---------------------------------------------------------------------------------------- messages

    private void typeProblem(Located v, Block b, String key, String expected) {
        problem(v.line(), "'" + spell(b, key) + "' must be " + expected + ", got " + show(v.value()));
    }

    private String spell(Block b, String key) {
        return ConfigKeys.spell(b, key, form);
    }

    private String aliasSpelling(String alias) {
        return form == ConfigForm.BLOCK ? ConfigKeys.camel(alias) : alias;
    }

    private void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    private static String where(int line) {
        return line > 0 ? " (the other at line " + line + ")" : " (the other in the config this file adds to)";
    }


    /** A value as shown in a message: {@code 'three' (String)}, {@code 2.5 (BigDecimal)}. */
    @SuppressWarnings("unchecked")
    static String show(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof CharSequence cs) {
            return "'" + abbreviate(cs.toString()) + "' (String)";
        }
        if (o instanceof RawMap || o instanceof Map) {
            return "a map (Map)";
        }
        if (o instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                Object x = item instanceof Located l ? l.value() : item;
                parts.add(x instanceof CharSequence ? "'" + x + "'" : x instanceof RawMap ? "[...]" : String.valueOf(x));
            }
            return abbreviate("[" + String.join(", ", parts) + "]") + " (List)";
        }
        if (o instanceof groovy.lang.Closure) {
            return "a { ... } block (Closure)";
        }
        return abbreviate(String.valueOf(o)) + " (" + o.getClass().getSimpleName() + ")";
    }

    /** A text on one line: control characters written as Java escapes ({@code \n}, {@code \u0001}). */
    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c);
        }));
        return b.toString();
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        Set<Problem> unique = new LinkedHashSet<>(problems);
        List<Problem> out = new ArrayList<>(unique);
        out.sort(Comparator.comparingInt(Problem::line));
        return out;
    }

    // ------------------------------------------------------------------------------------------- names

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** A file name without its last extension. */
    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String firstWord(String command) {
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
        return sha256(text);
    }

    /** The first 6 hex digits of the SHA-256 of a text (UTF-8). */
    public static String sha6(String text) {
        return sha256(text).substring(0, DefaultNames.MIN_DIGITS);
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
