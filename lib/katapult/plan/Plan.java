package katapult.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.config.Config;
import katapult.env.EnvironmentPlan;

/** A config made concrete: the instances to have, the environments, the jobs and every run. */
public record Plan(Config config, List<InstancePlan> instances, Map<String, EnvironmentPlan> environments,
                   Map<String, JobPlan> jobs, List<RunPlan> runs) {

    public Optional<RunPlan> run(String uid) {
        return runs.stream().filter(r -> r.uid().equals(uid)).findFirst();
    }

    public Optional<InstancePlan> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
