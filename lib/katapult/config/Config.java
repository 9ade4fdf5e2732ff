package katapult.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole, validated configuration. Built only by {@link ConfigBinder}; every path in it is absolute
 * (relative paths in the file resolve against the file's folder).
 *
 * @param source   the config file it came from
 * @param project  project name: names the state folder, the remote root and the results folder
 * @param profile  cloud credentials profile (aws), or null for the provider's default chain
 * @param dev      keep reusing the same instances and environments while a project is being built up
 * @param debug    verbosity 0..3
 * @param maestro  where the maestro (the process driving the session) lives
 * @param autoStop stop the instances once every run is finished and fetched
 * @param provider which provider creates the instances
 * @param jobAssign how runs are spread over instances
 * @param recover  save the state after every transition and resume from it
 * @param printDeploy wait for environments during deploy and print their set-up logs
 * @param mutualizeUploads runs share their uploads (and large inputs) read-only (true) or each gets its own copy (false)
 * @param sshOpen  may an {@code ssh_cidr} open SSH to every address ({@code 0.0.0.0/0}, {@code ::/0}) (aws)
 * @param retryBudget how long a throttled cloud call keeps backing off before the command gives up (aws)
 * @param lifecycle the global idle stop and dead-man rule: the remote maestro's own, and each instance entry's
 *                  unless the entry overrides it
 * @param limits   the most runs and instances the project may have
 * @param warnings what the file sets that has no effect (keys accepted but without effect yet), with its line
 * @param jobGraph the jobs' {@code after} graph, checked by the binder, in the order the planner plans them
 * @param maestroType instance type of the remote maestro (aws)
 */
public record Config(
        Path source,
        String project,
        String profile,
        boolean dev,
        int debug,
        Maestro maestro,
        boolean autoStop,
        ProviderKind provider,
        JobAssign jobAssign,
        boolean recover,
        boolean printDeploy,
        boolean mutualizeUploads,
        boolean sshOpen,
        Duration retryBudget,
        Lifecycle lifecycle,
        List<InstanceSpec> instances,
        List<EnvironmentSpec> environments,
        List<JobSpec> jobs,
        Limits limits,
        List<Problem> warnings,
        JobGraph jobGraph,
        String maestroType) {

    public static final String DEFAULT_MAESTRO_TYPE = "t3.small";

    public Config {
        instances = List.copyOf(instances);
        environments = List.copyOf(environments);
        jobs = List.copyOf(jobs);
        warnings = List.copyOf(warnings);
    }

    /** A config without warnings, whose jobs' {@code after} lists are known to be valid. */
    public Config(Path source, String project, String profile, boolean dev, int debug, Maestro maestro,
                  boolean autoStop, ProviderKind provider, JobAssign jobAssign, boolean recover, boolean printDeploy,
                  boolean mutualizeUploads, boolean sshOpen, Duration retryBudget, List<InstanceSpec> instances,
                  List<EnvironmentSpec> environments, List<JobSpec> jobs, Limits limits) {
        this(source, project, profile, dev, debug, maestro, autoStop, provider, jobAssign, recover, printDeploy,
                mutualizeUploads, sshOpen, retryBudget, Lifecycle.DEFAULT, instances, environments, jobs, limits, List.of(),
                JobGraph.of(jobs), DEFAULT_MAESTRO_TYPE);
    }

    /** The same config with other jobs (the scripting API binds a job against a config holding only its upstream). */
    public Config withJobs(List<JobSpec> newJobs) {
        return new Config(source, project, profile, dev, debug, maestro, autoStop, provider, jobAssign, recover,
                printDeploy, mutualizeUploads, sshOpen, retryBudget, lifecycle, instances, environments, newJobs, limits, warnings,
                JobGraph.of(newJobs), maestroType);
    }

    /**
     * The same config under another project name: a resumed project keeps the name it was recorded under, even when
     * the file now computes another one (for example from an environment variable).
     */
    public Config withProject(String newProject) {
        return new Config(source, newProject, profile, dev, debug, maestro, autoStop, provider, jobAssign, recover,
                printDeploy, mutualizeUploads, sshOpen, retryBudget, lifecycle, instances, environments, jobs, limits, warnings,
                jobGraph, maestroType);
    }

    /**
     * Each instance entry's project folder on its host when it is not the default {@code .katapult/<project>} in the
     * home (a slurm {@code workdir}), by instance name: relative to the home, or absolute.
     */
    public Map<String, String> remoteRoots() {
        Map<String, String> roots = new LinkedHashMap<>();
        for (InstanceSpec spec : instances) {
            if (spec.slurm() != null && spec.slurm().workdir() != null) {
                roots.put(spec.name(), spec.slurm().workdir());
            }
        }
        return roots;
    }

    public Optional<EnvironmentSpec> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * What a project may hold at most ({@code max_runs}, {@code max_instances}): a config past them is refused before
     * anything starts, as a session that large would not fit this machine's memory or the provider's patience. And
     * what it may cost: {@code confirm_above} ($/hour estimated before starting, above which the user is asked) and
     * {@code max_cost} (dollars spent, null: no cap).
     */
    public record Limits(int runs, int instances, double confirmAbove, Double maxCost) {
        public static final double DEFAULT_CONFIRM_ABOVE = 5.0;
        public static final Limits DEFAULT = new Limits(100_000, 500);

        public Limits(int runs, int instances) {
            this(runs, instances, DEFAULT_CONFIRM_ABOVE, null);
        }
    }

    public enum Maestro { LOCAL, REMOTE }

    public enum ProviderKind { LOCAL, SSH, AWS, SLURM }

    public enum JobAssign { RANDOM, MULTI_KNAPSACK }
}
