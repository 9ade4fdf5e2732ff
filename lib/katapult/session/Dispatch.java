package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import katapult.config.Lifecycle;
import katapult.plan.InstancePlan;
import katapult.plan.RunPlan;
import katapult.provider.LaunchException;
import katapult.provider.Provider;
import katapult.remote.AgentLifecycle;
import katapult.remote.AgentScripts;
import katapult.remote.Protocol;
import katapult.remote.RemoteLayout;
import katapult.remote.RemoteScript;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;
import katapult.state.RunState;

/**
 * Sends work off: places runs on instances, makes sure every instance with work exists and has the agent, deploys
 * files and environments, and queues the runs that can go. Each step goes to every instance at once and returns
 * those that failed, so that one instance in trouble never holds the others back.
 */
final class Dispatch {

    private final Workload work;
    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final Fetcher fetcher;
    private final Checkpoints checkpoints;
    private final Recovery recovery;
    private final Consumer<Event> listener;
    private final AgentScripts scripts = AgentScripts.load();

    Dispatch(Workload work, StateKeeper keeper, Provider provider, RemoteLayout layout, Fetcher fetcher,
             Checkpoints checkpoints, Recovery recovery, Consumer<Event> listener) {
        this.work = work;
        this.checkpoints = checkpoints;
        this.keeper = keeper;
        this.provider = provider;
        this.layout = layout;
        this.fetcher = fetcher;
        this.recovery = recovery;
        this.listener = listener;
    }

    /**
     * What to do when some instances failed a step: fail when no instance with work could do it (nothing could go
     * on); else tell the instances that failed, once each, and go on with the others.
     */
    BiConsumer<String, Map<?, Exception>> goOnUnlessAllFailed(InstanceTroubles troubles) {
        return (step, failures) -> {
            Set<String> failed = names(failures);
            if (!failed.isEmpty() && instancesWithWork().stream().allMatch(i -> failed.contains(i.name()))) {
                Parallel.orThrow(step, failures);
            }
            troubles.reportAll(step, failures);
        };
    }

    /**
     * Places the runs not placed yet, then queues every run not on its instance yet; when an instance they need was
     * never started, starts and deploys to it first (so a session opened on a config submits without init or start).
     */
    void submitAll(BiConsumer<String, Map<?, Exception>> failed) {
        assign();
        if (pendingByInstance().keySet().stream().anyMatch(name -> keeper.get().instance(name).isEmpty())) {
            startDeploySubmit(failed);
        } else {
            Parallel.orThrow("submit", submitEach(Set.of()));
        }
    }

    /**
     * start, deploy and submit, each step to the instances that did not fail the one before; {@code failed} is given
     * each step's failures. Returns the instances that failed a step.
     */
    Set<String> startDeploySubmit(BiConsumer<String, Map<?, Exception>> failed) {
        Map<InstancePlan, Exception> notStarted = startEach();
        failed.accept("start", notStarted);
        Set<String> skip = names(notStarted);
        Map<InstancePlan, Exception> notDeployed = deployEach(skip);
        failed.accept("deploy", notDeployed);
        skip.addAll(names(notDeployed));
        if (work.config().printDeploy()) {
            awaitEnvironments();
        }
        Map<String, Exception> notSubmitted = submitEach(skip);
        failed.accept("submit", notSubmitted);
        skip.addAll(notSubmitted.keySet());
        return skip;
    }

    /** Places runs not yet placed, then starts every instance with work; returns the instances that failed. */
    Map<InstancePlan, Exception> startEach() {
        learnCpus();
        assign();
        List<InstancePlan> needed = instancesWithWork();
        emit(new Event.Step("start", needed.isEmpty() ? "nothing left to run: no instance needed"
                : "starting " + needed.size() + " instance(s) with provider " + provider.kind()));
        Map<InstancePlan, Exception> failures = new LinkedHashMap<>(Parallel.each(needed, this::startInstance));
        failures.entrySet().removeIf(f -> {
            if (f.getValue() instanceof LaunchException launch) {
                recovery.abandon(f.getKey().name(), "instance " + f.getKey().name() + " could not be started: "
                        + launch.getMessage());
                return true;
            }
            return false;
        });
        return failures;
    }

    /** Reaches the instances whose cpus only they know and plans again with their answer, before runs are placed. */
    private void learnCpus() {
        List<InstancePlan> unknown = work.plan().instances().stream()
                .filter(i -> provider.cpusFromMachine(i.spec()) && keeper.get().instance(i.name()).isEmpty())
                .toList();
        if (!unknown.isEmpty()) {
            Parallel.orThrow("start", Parallel.each(unknown, this::startInstance));
            work.replan(work.config());
        }
    }

    /** Gives every unplaced run an instance, keeping the load of runs already placed. */
    void assign() {
        Set<String> instanceNames = new LinkedHashSet<>();
        work.plan().instances().forEach(i -> instanceNames.add(i.name()));
        new Assignment(work.plan(), keeper).assign(instanceNames, work.config().jobAssign(),
                work.config().project().hashCode());
    }

    /** {@link #startInstance} for the instance of the plan named {@code name} (one the plan no longer has: nothing). */
    void startAgain(String name) throws IOException {
        Optional<InstancePlan> planned = work.plan().instance(name);
        if (planned.isPresent()) {
            startInstance(planned.get());
        }
    }

    /** Makes sure one instance exists and runs the current agent; a replaced one loses its runs. */
    void startInstance(InstancePlan planned) throws IOException {
        InstancePlan instance = spotOrFallback(planned);
        Optional<InstanceRecord> known = keeper.get().instance(instance.name());
        InstanceRecord record = provider.ensure(instance, known,
                message -> emit(new Event.Step("start", instance.name() + ": " + message)));
        if (known.isPresent() && record.generation() != known.get().generation()) {
            recovery.requeueLost(instance.name(), "instance " + instance.name() + " was replaced");
        }
        keeper.putInstance(record);
        if (!scripts.version().equals(record.agentVersion())
                || known.map(k -> k.cpus() != record.cpus()).orElse(false)) {
            RemoteScript install = new RemoteScript(layout.on(record.name())).adoptOlderLayout().installAgent(scripts)
                    .cpus(record.cpus()).lifecycle(lifecycle(instance))
                    .spot(provider.spotMetadata(instance.spec()).orElse(null));
            provider.batch().ifPresent(batch -> install.batch(batch.name()));
            exec(record, install.build(), "installing the agent");
            keeper.putInstance(record.withAgent(scripts.version()));
        }
        emit(new Event.Step("start", instance.name() + " ready (" + record.cpus() + " cpus)"));
    }

    /** Sends files and environment specs to the instances with work but those in {@code skip}; returns failures. */
    Map<InstancePlan, Exception> deployEach(Set<String> skip) {
        List<InstancePlan> instances = instancesWithWork().stream().filter(i -> !skip.contains(i.name())).toList();
        if (!instances.isEmpty()) {
            emit(new Event.Step("deploy", "deploying to " + instances.size() + " instance(s)"));
        }
        Deployer deployer = new Deployer(work.plan(), layout, keeper, listener, agentEnvironment(),
                provider.batch());
        return Parallel.each(instances, instance -> {
            InstanceRecord record = keeper.get().instance(instance.name()).orElseThrow(() ->
                    new SessionException("instance " + instance.name() + " is not started: run `katapult start`"));
            try (var shell = provider.shell(record)) {
                deployer.deploy(record, shell);
            }
        });
    }

    /** Waits until the environments of the instances are set up, telling their logs. */
    void awaitEnvironments() {
        new EnvironmentWatch(layout, keeper, provider, listener).awaitReady();
    }

    /** Queues the placed runs not on their instance yet, on every instance but those in {@code skip}. */
    Map<String, Exception> submitEach(Set<String> skip) {
        Map<String, List<RunRecord>> byInstance = pendingByInstance();
        byInstance.keySet().removeAll(skip);
        int count = byInstance.values().stream().mapToInt(List::size).sum();
        emit(new Event.Step("submit", count == 0 ? "every run is already submitted"
                : "submitting " + count + " run(s) to " + byInstance.size() + " instance(s)"));
        Dependencies dependencies = new Dependencies(work.plan(), fetcher);
        Submitter submitter = new Submitter(work.plan(), layout, keeper, agentEnvironment(),
                job -> dependencies.inputs(job, keeper.runsByUid()),
                job -> dependencies.onInstance(job, keeper.runsByUid()), provider.batch(), checkpoints);
        return Parallel.each(byInstance.keySet(), name -> {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            try (var shell = provider.shell(record)) {
                submitter.submit(shell, byInstance.get(name));
            }
        });
    }

    /**
     * The entry's spot instance as planned, or on-demand once its entry's instances were interrupted
     * {@code spot_fallback} times (the notices are in the state, so this holds across restarts).
     */
    private InstancePlan spotOrFallback(InstancePlan planned) {
        var aws = planned.spec().aws();
        if (!aws.eco() || aws.spotFallback() == null
                || keeper.get().preemptionsOf(planned.spec().name()) < aws.spotFallback()) {
            return planned;
        }
        return new InstancePlan(planned.name(), planned.spec().withSettings(aws.onDemand()), planned.cpus());
    }

    /**
     * The placed runs that can go now and are not on their instance yet, by instance; none for an instance going
     * away after a spot interruption notice (they go once it is replaced).
     */
    Map<String, List<RunRecord>> pendingByInstance() {
        Map<String, List<RunRecord>> byInstance = new LinkedHashMap<>();
        Map<String, RunRecord> runs = keeper.runsByUid();
        var state = keeper.get();
        Dependencies dependencies = new Dependencies(work.plan(), fetcher);
        boolean batch = provider.batch().isPresent();
        for (RunRecord run : work.records()) {
            if (!run.submitted() && !run.state().finished() && run.state() != RunState.PREEMPTED
                    && run.instance() != null && !state.goingAway(run.instance()) && !dependencies.blocked(run, runs, batch)) {
                byInstance.computeIfAbsent(run.instance(), k -> new ArrayList<>()).add(run);
            }
        }
        return byInstance;
    }

    /**
     * Whether a run waits for another instance after a spot interruption notice (PREEMPTED, or placed on an instance
     * going away): the dispatch step then places it, and replaces the instance once it is gone.
     */
    boolean awaitingPlacement() {
        var state = keeper.get();
        return work.records().stream().anyMatch(run -> run.state() == RunState.PREEMPTED
                || (!run.submitted() && !run.state().finished() && run.instance() != null
                && state.goingAway(run.instance())));
    }

    /** The planned instances that have a run not settled yet, in plan order. */
    List<InstancePlan> instancesWithWork() {
        Map<String, RunRecord> records = keeper.runsByUid();
        Set<String> busy = new LinkedHashSet<>();
        for (RunPlan run : work.plan().runs()) {
            RunRecord record = records.get(run.uid());
            if (!record.settled() && record.instance() != null) {
                busy.add(record.instance());
            }
        }
        return work.plan().instances().stream().filter(i -> busy.contains(i.name())).toList();
    }

    static Set<String> names(Map<?, Exception> failures) {
        Set<String> names = new LinkedHashSet<>();
        failures.keySet().forEach(what -> names.add(InstanceTroubles.nameOf(what)));
        return names;
    }

    /** Whether and when the instance's agent shuts its machine down (the provider says what a shutdown does). */
    private AgentLifecycle lifecycle(InstancePlan instance) {
        Lifecycle rule = instance.spec().aws().lifecycle();
        return new AgentLifecycle(Protocol.Shutdown.valueOf(provider.onShutdown(instance.spec()).name()),
                rule.idleStop(), rule.heartbeatTimeout(), rule.abandonAfter());
    }

    /** What the agents get from this process's environment: their tick and idle time, when set. */
    private static Map<String, String> agentEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("KATAPULT_AGENT_TICK", "KATAPULT_AGENT_IDLE")) {
            String value = System.getenv(name);
            if (value != null && value.matches("[0-9.]+")) {
                env.put(name, value);
            }
        }
        return env;
    }

    private void exec(InstanceRecord record, String script, String what) throws IOException {
        try (var shell = provider.shell(record)) {
            shell.exec("bash -s", script, Duration.ofMinutes(5)).orThrow(what + " on " + record.name());
        }
    }

    private void emit(Event event) {
        listener.accept(event);
    }
}
