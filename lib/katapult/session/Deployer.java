package katapult.session;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import katapult.env.EnvironmentPlan;
import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.provider.BatchScheduler;
import katapult.remote.EnvPayload;
import katapult.remote.RemoteLayout;
import katapult.remote.RemoteScript;
import katapult.remote.Uploads;
import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.transport.Shell;

/**
 * Sends an instance the files and environment specs its unfinished runs need, in two round trips, and wakes its
 * agent so that the environments are set up while the rest of the session goes on. On a batch scheduler's login node
 * each environment is set up by a job of its own instead (the runs' arrays wait for it).
 */
final class Deployer {

    private final Plan plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Consumer<Event> listener;
    private final Map<String, String> agentEnvironment;
    private final Optional<BatchScheduler> batch;

    Deployer(Plan plan, RemoteLayout layout, StateKeeper keeper, Consumer<Event> listener,
             Map<String, String> agentEnvironment, Optional<BatchScheduler> batch) {
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.listener = listener;
        this.agentEnvironment = agentEnvironment;
        this.batch = batch;
    }

    void deploy(InstanceRecord instance, Shell shell) throws IOException {
        Set<EnvironmentPlan> envs = new LinkedHashSet<>();
        Map<String, Path> files = new LinkedHashMap<>();
        for (JobPlan job : jobsOn(instance.name())) {
            job.workFiles().forEach((name, path) -> files.put(job.workHashes().get(name), path));
            if (job.env() != null) {
                envs.add(job.env());
            }
        }
        for (EnvironmentPlan env : envs) {
            env.localFiles().forEach((name, path) -> files.put(env.fileHashes().get(name), path));
        }
        int sent = Uploads.send(shell, layout.on(instance.name()), files,
                progress -> listener.accept(new Event.Step("deploy", instance.name() + ": " + progress)));
        if (!envs.isEmpty()) {
            RemoteScript script = new RemoteScript(layout.on(instance.name()));
            envs.forEach(env -> script.environment(new EnvPayload(env.key(), env.texts(), env.fileHashes())));
            if (batch.isPresent()) {
                var spec = plan.instance(instance.name()).orElseThrow().spec();
                envs.forEach(env -> script.environmentJob(env.key(), batch.get().setupOptions(spec,
                        "katapult." + layout.project() + ".env." + env.key(),
                        "katapult project " + layout.project() + " environment " + env.name())));
            } else {
                script.startAgent(agentEnvironment);
            }
            shell.exec("bash -s", script.build(), Duration.ofMinutes(5))
                    .orThrow("sending environments to " + instance.name());
        }
        List<String> keys = new ArrayList<>(instance.envKeys());
        envs.stream().map(EnvironmentPlan::key).filter(k -> !keys.contains(k)).forEach(keys::add);
        keeper.update(s -> s.updateInstance(instance.name(), i -> i.withEnvKeys(keys)));
        listener.accept(new Event.Step("deploy", instance.name() + ": " + sent + " of " + files.size()
                + " file(s) sent, " + envs.size() + " environment(s) "
                + (envs.isEmpty() ? "" : "(" + String.join(", ", envs.stream().map(EnvironmentPlan::name).toList())
                + ") ") + "in place"));
    }

    /** Jobs with an unfinished run on the instance. */
    private Set<JobPlan> jobsOn(String instance) {
        Map<String, RunRecord> records = keeper.runsByUid();
        Set<JobPlan> jobs = new LinkedHashSet<>();
        for (RunPlan run : plan.runs()) {
            RunRecord record = records.get(run.uid());
            if (instance.equals(record.instance()) && !record.state().finished()) {
                jobs.add(run.job());
            }
        }
        return jobs;
    }
}
