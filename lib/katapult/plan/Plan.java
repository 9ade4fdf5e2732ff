package katapult.plan;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.config.Config;
import katapult.env.EnvironmentPlan;

/**
 * A config made concrete: the instances to have, the environments, the jobs and every run.
 *
 * @param runsByUid every run by its uid (a project may have 100,000: a lookup must not scan them)
 */
public record Plan(Config config, List<InstancePlan> instances, Map<String, EnvironmentPlan> environments,
                   Map<String, JobPlan> jobs, List<RunPlan> runs, Map<String, RunPlan> runsByUid) {

    public Plan(Config config, List<InstancePlan> instances, Map<String, EnvironmentPlan> environments,
                Map<String, JobPlan> jobs, List<RunPlan> runs) {
        this(config, instances, environments, jobs, runs, index(runs));
    }

    private static Map<String, RunPlan> index(List<RunPlan> runs) {
        Map<String, RunPlan> byUid = new HashMap<>(runs.size() * 2);
        runs.forEach(run -> byUid.put(run.uid(), run));
        return Collections.unmodifiableMap(byUid);
    }

    public Optional<RunPlan> run(String uid) {
        return Optional.ofNullable(runsByUid.get(uid));
    }

    public Optional<InstancePlan> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
