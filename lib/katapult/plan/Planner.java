package katapult.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.config.ConfigForm;
import katapult.config.EnvironmentSpec;
import katapult.config.InstanceCount;
import katapult.config.InstanceSpec;
import katapult.config.LocalSettings;
import katapult.config.JobSpec;
import katapult.config.Problem;
import katapult.env.EnvironmentPlan;

/** Builds the {@link Plan} of a config: pure, no I/O but reading the local files it hashes. */
public final class Planner {

    private Planner() {
    }

    public static Plan plan(Config config, ToIntFunction<InstanceSpec> machineCpus,
                            ToIntFunction<InstanceSpec> defaultCpus) {
        List<InstanceSpec> specs = instanceSpecs(config);
        // the binder could not count what explode makes of an aws entry: the type's size was not known yet
        InstanceCount.over(specs, spec -> spec.cpus() != null ? spec.cpus() : defaultCpus.applyAsInt(spec), machineCpus,
                config.limits().instances(), ConfigForm.MAP).ifPresent(over -> {
                    throw new ConfigException(List.of(new Problem(config.source().toString(), 0, over.message())));
                });
        List<InstancePlan> instances = InstanceExpander.expand(specs, machineCpus, defaultCpus);
        Map<String, EnvironmentPlan> envs = new LinkedHashMap<>();
        for (EnvironmentSpec spec : config.environments()) {
            envs.put(spec.name(), EnvironmentPlan.of(spec));
        }
        Map<String, JobPlan> planned = new LinkedHashMap<>();
        String file = config.source().toString();
        for (JobSpec spec : config.jobGraph().order(config.jobs())) {
            List<JobPlan> upstream = spec.after().stream().map(planned::get).toList();
            planned.put(spec.name(), JobPlanner.plan(spec, spec.envName() == null ? null : envs.get(spec.envName()),
                    upstream, file));
        }
        Map<String, JobPlan> jobs = new LinkedHashMap<>();
        List<RunPlan> runs = new ArrayList<>();
        for (JobSpec spec : config.jobs()) {
            JobPlan job = planned.get(spec.name());
            jobs.put(spec.name(), job);
            for (int index = 1; index <= job.runCount(); index++) {
                runs.add(new RunPlan(job.uid(index), job, index));
            }
        }
        return new Plan(config, instances, envs, jobs, runs);
    }

    /** A local config without instances gets one sandbox with this machine's cpus: nothing to write for a try. */
    private static List<InstanceSpec> instanceSpecs(Config config) {
        if (!config.instances().isEmpty() || config.provider() != Config.ProviderKind.LOCAL) {
            return config.instances();
        }
        return List.of(new InstanceSpec("local-1", null, 1, false, new LocalSettings()));
    }
}
