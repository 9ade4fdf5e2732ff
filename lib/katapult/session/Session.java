package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

import katapult.config.Config;
import katapult.config.JobSpec;
import katapult.config.KeptNames;
import katapult.dsl.ConfigLoader;
import katapult.plan.InstancePlan;
import katapult.plan.Plan;
import katapult.plan.Planner;
import katapult.plan.RunPlan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.provider.ProviderFactory;
import katapult.remote.AgentScripts;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.remote.RemoteScript;
import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.state.StateException;
import katapult.state.StateStore;

/**
 * One project's session: the single API behind the CLI, the REPL and user scripts. It plans the config, keeps the
 * state, and drives the steps start → deploy → submit → wait/fetch → stop/down through a {@link Provider}. It never
 * prints: progress goes to the listener as {@link Event}s.
 */
public final class Session implements AutoCloseable {

    static final int MAX_ATTEMPTS = 3;
    private static final Duration POLL_MIN = Duration.ofMillis(300);
    private static final Duration POLL_MAX = Duration.ofSeconds(5);

    private final Path workspace;
    private final Consumer<Event> listener;
    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final AgentScripts scripts = AgentScripts.load();
    private final Fetcher fetcher;
    private final Poller poller;
    private final Harvest harvest;
    private final Recovery recovery;
    private final Teardown teardown;
    private final InstanceTroubles troubles;
    private Config config;
    private Plan plan;

    private Session(Path workspace, Config config, StateKeeper keeper, Consumer<Event> listener,
                    ProviderFactory providers) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.listener = listener;
        this.keeper = keeper;
        this.config = config;
        this.layout = new RemoteLayout(config.project());
        this.provider = providers.create(config, stateDir(this.workspace, config.project()));
        this.provider.notices(message -> listener.accept(new Event.Step("wait", message)));
        this.fetcher = new Fetcher(this.workspace.resolve("results").resolve(config.project()));
        this.recovery = new Recovery(keeper, listener);
        this.troubles = new InstanceTroubles(listener);
        this.harvest = new Harvest(() -> plan, layout, keeper, provider, fetcher, listener, troubles);
        this.poller = new Poller(() -> plan, layout, keeper, provider, listener, troubles);
        this.teardown = new Teardown(keeper, provider, layout, recovery,
                new Safekeeping(keeper, poller, harvest, listener), listener);
        replan(config);
    }

    // ---------------------------------------------------------------- opening

    /** Opens (or resumes) the project of {@code configFile}, with the config as it is in that file now. */
    public static Session open(Path workspace, Path configFile, Consumer<Event> listener) {
        return open(workspace, configFile, listener, ProviderFactory.DEFAULT);
    }

    /** {@link #open(Path, Path, Consumer)} with the provider made by {@code providers}. */
    public static Session open(Path workspace, Path configFile, Consumer<Event> listener, ProviderFactory providers) {
        Config config = ConfigLoader.load(configFile);
        refuseRemoteMaestro(config);
        StateStore store = StateStore.open(stateDir(workspace, config.project()));
        try {
            String file = configFile.toAbsolutePath().normalize().toString();
            ProjectState state = config.recover() ? store.load().orElse(null) : setAside(store);
            if (state == null) {
                state = ProjectState.empty(config.project(), file);
            } else if (!state.configFiles().get(0).equals(file)) {
                List<String> files = new ArrayList<>(state.configFiles());
                files.set(0, file);
                state = state.withConfigFiles(files);
            }
            KeptNames kept = new KeptNames(state.jobNames());
            if (!kept.agreeWith(config.jobs())) {
                config = ConfigLoader.load(configFile, kept);
            }
            for (String added : state.configFiles().subList(1, state.configFiles().size())) {
                config = ConfigLoader.loadAddition(Path.of(added), config, kept);
            }
            return new Session(workspace, config, new StateKeeper(store, state), listener, providers);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Resumes a project from its saved state; {@code project} may be null when the workspace has exactly one. */
    public static Session resume(Path workspace, String project, Consumer<Event> listener) {
        return resume(workspace, project, listener, ProviderFactory.DEFAULT);
    }

    /** {@link #resume(Path, String, Consumer)} with the provider made by {@code providers}. */
    public static Session resume(Path workspace, String project, Consumer<Event> listener, ProviderFactory providers) {
        String name = project != null ? project : onlyProject(workspace);
        StateStore store = StateStore.open(stateDir(workspace, name));
        try {
            ProjectState state = store.load().orElseThrow(() -> new SessionException("project '" + name
                    + "' has no state yet: start it with `katapult init CONFIG` or `katapult run CONFIG`"));
            KeptNames kept = new KeptNames(state.jobNames());
            Config config = ConfigLoader.load(Path.of(state.configFiles().get(0)), kept);
            for (String added : state.configFiles().subList(1, state.configFiles().size())) {
                config = ConfigLoader.loadAddition(Path.of(added), config, kept);
            }
            return new Session(workspace, recordedProject(config, name, listener), new StateKeeper(store, state),
                    listener, providers);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A resumed project is the one asked for: a config file that now computes another name (say from an environment
     * variable) must not send its commands, `down` above all, to that other project's state and cloud resources.
     */
    private static Config recordedProject(Config config, String name, Consumer<Event> listener) {
        if (config.project().equals(name)) {
            return config;
        }
        listener.accept(new Event.Warning(config.source() + " now names project '" + config.project()
                + "': working on project '" + name + "', as recorded"));
        return config.withProject(name);
    }

    /** Reads a project's status from its saved state, without locking it or reaching any instance. */
    public static Status peek(Path workspace, String project) {
        String name = project != null ? project : onlyProject(workspace);
        ProjectState state = StateStore.peek(stateDir(workspace, name))
                .orElseThrow(() -> new SessionException("project '" + name + "' has no state yet"));
        Fetcher fetcher = new Fetcher(workspace.resolve("results").resolve(name));
        List<RunView> runs = state.runs().stream().map(r -> view(r, fetcher)).toList();
        return new Status(name, false, state.instances(), runs);
    }

    /** Projects that have a state folder in this workspace. */
    public static List<String> projects(Path workspace) {
        Path dir = workspace.resolve(".katapult");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.exists(p.resolve("state.json")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new StateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String onlyProject(Path workspace) {
        List<String> projects = projects(workspace);
        if (projects.size() == 1) {
            return projects.get(0);
        }
        throw new SessionException(projects.isEmpty()
                ? "no Katapult project in " + workspace.toAbsolutePath() + ": start one with `katapult init CONFIG`"
                : "several projects here (" + String.join(", ", projects) + "): name one with --project");
    }

    /** {@code <workspace>/.katapult/<project>}: the project's state, lock, sandboxes and pinned host keys. */
    public static Path stateDir(Path workspace, String project) {
        return workspace.toAbsolutePath().normalize().resolve(".katapult").resolve(project);
    }

    private static ProjectState setAside(StateStore store) {
        Path file = store.file();
        if (Files.exists(file)) {
            try {
                Files.move(file, file.resolveSibling("state.json." + Instant.now().getEpochSecond() + ".old"));
            } catch (IOException e) {
                throw new StateException("cannot set aside " + file + " (recover is false): " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static void refuseRemoteMaestro(Config config) {
        if (config.maestro() == Config.Maestro.REMOTE) {
            throw new SessionException("maestro 'remote' is not available in this version of Katapult: use 'local'"
                    + " (runs already outlive Katapult: the agents keep going when it stops, and a later run"
                    + " picks the results up)");
        }
    }

    /** Adds the jobs (and environments, instances) of another config file, as the seeds' cfg_add_jobs did. */
    public void add(Path file) {
        Config merged = ConfigLoader.loadAddition(file, config, new KeptNames(keeper.get().jobNames()));
        String path = file.toAbsolutePath().normalize().toString();
        keeper.update(s -> {
            List<String> files = new ArrayList<>(s.configFiles());
            files.add(path);
            return s.withConfigFiles(files);
        });
        replan(merged);
    }

    private void replan(Config newConfig) {
        this.config = newConfig;
        this.plan = Planner.plan(newConfig, provider::machineCpus, this::defaultCpus);
        keeper.update(this::adoptPlan);
    }

    /** An entry without cpus: what its instance told when reached (ssh), else the provider's default. */
    private int defaultCpus(katapult.config.InstanceSpec spec) {
        if (provider.cpusFromMachine(spec)) {
            Optional<InstanceRecord> known = keeper.get().instance(spec.name());
            if (known.isPresent()) {
                return known.get().cpus();
            }
        }
        return provider.defaultCpus(spec);
    }

    /** Reaches the instances whose cpus only they know and plans again with their answer, before runs are placed. */
    private void learnCpus() {
        List<InstancePlan> unknown = plan.instances().stream()
                .filter(i -> provider.cpusFromMachine(i.spec()) && keeper.get().instance(i.name()).isEmpty())
                .toList();
        if (!unknown.isEmpty()) {
            Parallel.orThrow("start", Parallel.each(unknown, this::startInstance));
            replan(config);
        }
    }

    /** Adds a record for every planned run the state lacks, and forgets fetches whose files were deleted. */
    private ProjectState adoptPlan(ProjectState state) {
        Map<String, RunRecord> byUid = new LinkedHashMap<>();
        state.runs().forEach(r -> byUid.put(r.uid(), r));
        for (RunPlan run : plan.runs()) {
            RunRecord known = byUid.get(run.uid());
            if (known == null) {
                byUid.put(run.uid(), RunRecord.planned(run.uid(), run.job().name(), run.repeat(), null));
            } else if (known.fetched() && known.submitted()
                    && !fetcher.present(known, run.job().spec().outputFiles())) {
                byUid.put(run.uid(), known.withFetched(false));
            }
        }
        return keepNames(state.withRuns(new ArrayList<>(byUid.values())));
    }

    /** Records the default names of the plan's jobs, so that they stay theirs whatever jobs are added later. */
    private ProjectState keepNames(ProjectState state) {
        Map<String, String> names = null;
        for (JobSpec job : config.jobs()) {
            if (job.nameKey() != null && !state.jobNames().containsKey(job.name())) {
                if (names == null) {
                    names = new LinkedHashMap<>(state.jobNames());
                }
                names.put(job.name(), KeptNames.keyOf(job.nameKey()));
            }
        }
        return names == null ? state : state.withJobNames(names);
    }

    // ---------------------------------------------------------------- views

    public Config config() {
        return config;
    }

    public Plan plan() {
        return plan;
    }

    public String project() {
        return config.project();
    }

    /** {@code results/<project>} under the workspace. */
    public Path resultsFolder() {
        return fetcher.root();
    }

    /** The runs of the current config, as last known, with the stderr tail of those ABORTED. */
    public List<RunView> runs() {
        return records().stream().map(r -> view(r, fetcher)).toList();
    }

    /** The records of the current config's runs, in plan order. */
    private List<RunRecord> records() {
        ProjectState state = keeper.get();
        Map<String, RunRecord> records = state.runsByUid();
        return plan.runs().stream().map(r -> records.get(r.uid())).toList();
    }

    private static RunView view(RunRecord run, Fetcher fetcher) {
        return new RunView(run, run.state() == RunState.ABORTED ? fetcher.stderrTail(run, 10) : "");
    }

    /** Instances in plan order (those the config no longer has last), runs in plan order. */
    public Status status() {
        List<String> order = plan.instances().stream().map(InstancePlan::name).toList();
        List<InstanceRecord> instances = keeper.get().instances().stream()
                .sorted(Comparator.comparingInt(i -> order.contains(i.name()) ? order.indexOf(i.name())
                        : order.size()))
                .toList();
        return new Status(project(), true, instances, runs());
    }

    /** Reads every instance once and returns the fresh status. */
    public Status refresh() {
        poll();
        return status();
    }

    // ---------------------------------------------------------------- steps

    /**
     * seeds' wakeup: start → assign → deploy → submit → wait (fetching as runs finish) → auto stop. An instance
     * that fails a step is told and tried again while the others go on; only a step no instance with work could do
     * stops the session.
     */
    public boolean runAll(Duration timeout) {
        startDeploySubmit(this::goOnUnlessAllFailed);
        boolean finished = waitAll(timeout);
        if (finished && config.autoStop()) {
            stop();
        }
        return finished;
    }

    /** Places runs not yet placed, then makes sure every instance that has work exists and has the agent. */
    public void start() {
        Parallel.orThrow("start", startEach());
    }

    /** {@link #start()}, returning the instances that failed (one that cannot be made has its runs ABORTED). */
    private Map<InstancePlan, Exception> startEach() {
        learnCpus();
        assign();
        List<InstancePlan> needed = instancesWithWork();
        emit(new Event.Step("start", needed.isEmpty() ? "nothing left to run: no instance needed"
                : "starting " + needed.size() + " instance(s) with provider " + provider.kind()));
        Map<InstancePlan, Exception> failures = new LinkedHashMap<>(Parallel.each(needed, this::startInstance));
        failures.entrySet().removeIf(f -> {
            if (f.getValue() instanceof katapult.provider.LaunchException launch) {
                recovery.abandon(f.getKey().name(), "instance " + f.getKey().name() + " could not be started: "
                        + launch.getMessage());
                return true;
            }
            return false;
        });
        return failures;
    }

    /**
     * start, deploy and submit, each step to the instances that did not fail the one before; {@code failed} is given
     * each step's failures. Returns the instances that failed a step.
     */
    private Set<String> startDeploySubmit(BiConsumer<String, Map<?, Exception>> failed) {
        Map<InstancePlan, Exception> notStarted = startEach();
        failed.accept("start", notStarted);
        Set<String> skip = names(notStarted);
        Map<InstancePlan, Exception> notDeployed = deployEach(skip);
        failed.accept("deploy", notDeployed);
        skip.addAll(names(notDeployed));
        if (config.printDeploy()) {
            new EnvironmentWatch(layout, keeper, provider, listener).awaitReady();
        }
        Map<String, Exception> notSubmitted = submitEach(skip);
        failed.accept("submit", notSubmitted);
        skip.addAll(notSubmitted.keySet());
        return skip;
    }

    /**
     * Fails when no instance with work could do {@code step} (nothing could go on); else tells the instances that
     * failed, once each, and the session goes on with the others.
     */
    private void goOnUnlessAllFailed(String step, Map<?, Exception> failures) {
        Set<String> failed = names(failures);
        if (!failed.isEmpty() && instancesWithWork().stream().allMatch(i -> failed.contains(i.name()))) {
            Parallel.orThrow(step, failures);
        }
        troubles.reportAll(step, failures);
    }

    private static Set<String> names(Map<?, Exception> failures) {
        Set<String> names = new LinkedHashSet<>();
        failures.keySet().forEach(what -> names.add(InstanceTroubles.nameOf(what)));
        return names;
    }

    private void startInstance(InstancePlan instance) throws IOException {
        Optional<InstanceRecord> known = keeper.get().instance(instance.name());
        InstanceRecord record = provider.ensure(instance, known,
                message -> emit(new Event.Step("start", instance.name() + ": " + message)));
        if (known.isPresent() && record.generation() != known.get().generation()) {
            recovery.requeueLost(instance.name(), "instance " + instance.name() + " was replaced");
        }
        keeper.putInstance(record);
        if (!scripts.version().equals(record.agentVersion())
                || known.map(k -> k.cpus() != record.cpus()).orElse(false)) {
            exec(record, new RemoteScript(layout.on(record.name())).adoptOlderLayout().installAgent(scripts)
                    .cpus(record.cpus()).build(), "installing the agent");
            keeper.putInstance(record.withAgent(scripts.version()));
        }
        emit(new Event.Step("start", instance.name() + " ready (" + record.cpus() + " cpus)"));
    }

    private List<InstancePlan> instancesWithWork() {
        Map<String, RunRecord> records = keeper.get().runsByUid();
        Set<String> busy = new LinkedHashSet<>();
        for (RunPlan run : plan.runs()) {
            RunRecord record = records.get(run.uid());
            if (!settled(record) && record.instance() != null) {
                busy.add(record.instance());
            }
        }
        return plan.instances().stream().filter(i -> busy.contains(i.name())).toList();
    }

    /** Gives every unplaced run an instance, keeping the load of runs already placed. */
    public void assign() {
        Set<String> instanceNames = new LinkedHashSet<>();
        plan.instances().forEach(i -> instanceNames.add(i.name()));
        new Assignment(plan, keeper).assign(instanceNames, config.jobAssign(), project().hashCode());
    }

    /** Sends files and environment specs to every instance with work; the agents set environments up. */
    public void deploy() {
        Parallel.orThrow("deploy", deployEach(Set.of()));
        if (config.printDeploy()) {
            new EnvironmentWatch(layout, keeper, provider, listener).awaitReady();
        }
    }

    /** {@link #deploy()} to the instances with work but those in {@code skip}; returns those that failed. */
    private Map<InstancePlan, Exception> deployEach(Set<String> skip) {
        List<InstancePlan> instances = instancesWithWork().stream().filter(i -> !skip.contains(i.name())).toList();
        if (!instances.isEmpty()) {
            emit(new Event.Step("deploy", "deploying to " + instances.size() + " instance(s)"));
        }
        Deployer deployer = new Deployer(plan, layout, keeper, listener, agentEnvironment());
        return Parallel.each(instances, instance -> {
            InstanceRecord record = keeper.get().instance(instance.name()).orElseThrow(() ->
                    new SessionException("instance " + instance.name() + " is not started: run `katapult start`"));
            try (var shell = provider.shell(record)) {
                deployer.deploy(record, shell);
            }
        });
    }

    /** Queues every placed run that is not on its instance yet (the seeds' run). */
    public void submit() {
        Parallel.orThrow("submit", submitEach(Set.of()));
    }

    /** {@link #submit()} to every instance but those in {@code skip}; returns the instances that failed. */
    private Map<String, Exception> submitEach(Set<String> skip) {
        Map<String, List<RunRecord>> byInstance = pendingByInstance();
        byInstance.keySet().removeAll(skip);
        int count = byInstance.values().stream().mapToInt(List::size).sum();
        emit(new Event.Step("submit", count == 0 ? "every run is already submitted"
                : "submitting " + count + " run(s) to " + byInstance.size() + " instance(s)"));
        Dependencies dependencies = new Dependencies(plan, fetcher);
        Submitter submitter = new Submitter(plan, layout, keeper, agentEnvironment(),
                job -> dependencies.inputs(job, keeper.get()));
        return Parallel.each(byInstance.keySet(), name -> {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            try (var shell = provider.shell(record)) {
                submitter.submit(shell, byInstance.get(name));
            }
        });
    }

    private Map<String, List<RunRecord>> pendingByInstance() {
        Map<String, List<RunRecord>> byInstance = new LinkedHashMap<>();
        ProjectState state = keeper.get();
        Dependencies dependencies = new Dependencies(plan, fetcher);
        for (RunRecord run : records()) {
            if (!run.submitted() && !run.state().finished() && run.instance() != null
                    && !dependencies.blocked(run, state)) {
                byInstance.computeIfAbsent(run.instance(), k -> new ArrayList<>()).add(run);
            }
        }
        return byInstance;
    }

    /**
     * Polls until every run is finished and fetched, or {@code timeout} (null: none) passes. Lost runs are
     * re-submitted, finished runs fetched as they finish. Returns whether everything finished.
     */
    public boolean waitAll(Duration timeout) {
        return awaitRuns(null, timeout);
    }

    /**
     * Drives the session until the runs with these uids (null: all) are finished and fetched, or {@code timeout}
     * (null: none) passes; polls fast while things change, slower while they do not.
     */
    boolean awaitRuns(java.util.Collection<String> uids, Duration timeout) {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Duration interval = POLL_MIN;
        Progress progress = new Progress(listener);
        while (true) {
            progress.report(records());
            boolean changed = step();
            if (records().stream().filter(r -> uids == null || uids.contains(r.uid())).allMatch(Session::settled)) {
                progress.report(records());
                if (uids == null) {
                    emit(new Event.Step("wait", "every run finished; " + poller.roundTrips() + " poll round trip(s) to "
                            + keeper.get().instances().size() + " instance(s)"));
                }
                return true;
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                return false;
            }
            interval = changed ? POLL_MIN : min(interval.multipliedBy(3).dividedBy(2), POLL_MAX);
            sleep(interval);
        }
    }

    /**
     * One round of the session: reads the instances, fetches finished runs, gives up runs whose upstream failed,
     * and sends off runs that can go. Returns whether anything changed.
     */
    private boolean step() {
        boolean changed = poll();
        changed |= harvest.fetchFinished(records(), false);
        changed |= recovery.abortUnreachable(plan.runs().stream().map(RunPlan::uid)
                .collect(java.util.stream.Collectors.toSet()), new Dependencies(plan, fetcher));
        Map<String, List<RunRecord>> pending = pendingByInstance();
        if (!pending.isEmpty()) {
            // an instance that fails here is told once and tried again next round: the others go on meanwhile
            changed |= !startDeploySubmit(troubles::reportAll).containsAll(pending.keySet());
        }
        return changed;
    }

    /** Finished, with nothing left to fetch (a run that never reached an instance has nothing). */
    private static boolean settled(RunRecord run) {
        return run.state().finished() && (run.fetched() || !run.submitted());
    }

    /** Reads every instance with unfinished runs once; returns whether any run changed. */
    boolean poll() {
        return poller.pollAll(this::instanceDown);
    }

    /** A gone instance loses its runs (they go again on its replacement); a stopped one is started again. */
    private void instanceDown(String instance, String status) {
        if (InstanceStatus.STOPPED.equals(status)) {
            plan.instance(instance).ifPresent(p -> troubles.reportAll("start", Parallel.each(List.of(p),
                    this::startInstance)));
        } else {
            recovery.requeueLost(instance, "instance " + instance + " is " + status.toLowerCase());
        }
    }

    /** Fetches finished runs not fetched yet; with {@code into}, also copies every finished run's results there. */
    public boolean fetchFinished(Path into) {
        boolean any = harvest.fetchFinished(records(), true);
        if (into != null) {
            for (RunRecord run : records()) {
                if (run.fetched()) {
                    try {
                        fetcher.copyTo(run, into);
                    } catch (IOException e) {
                        throw new SessionException("cannot copy results into " + into + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return any;
    }

    /** Stops the agents and their runs on every instance, then the instances themselves. */
    public void stop() {
        teardown.stop();
    }

    /** Stops and removes every instance; the results and the record of finished runs stay. */
    public void down() {
        down(false, false);
    }

    /** As {@link #down(boolean, boolean)}, refusing to lose results that could not be fetched. */
    public void down(boolean purge) {
        down(purge, false);
    }

    /**
     * Stops and removes every instance; with {@code purge}, also deletes the project's remote root
     * ({@code ~/.katapult/<project>}) on every instance that is still reachable (ssh hosts stay, only that folder goes).
     * Every finished run is fetched first.
     *
     * @throws UnfetchedResultsException when some could not be (nothing is removed then), unless
     *                                   {@code discardUnfetched}, which gives their results up
     */
    public void down(boolean purge, boolean discardUnfetched) {
        teardown.down(purge, discardUnfetched);
    }

    /** What {@link #down()} would remove, without removing anything. */
    public List<String> downDryRun() {
        return teardown.dryRun();
    }

    /** What the instances have cost so far, when the provider can tell; else null. */
    public String costSoFar() {
        return provider.costSoFar(keeper.get().instances());
    }

    /** Poll round trips since this session opened: one per instance with unfinished runs per poll, whatever the runs. */
    public long pollRoundTrips() {
        return poller.roundTrips();
    }

    /** A run's stdout or stderr, from its instance when reachable, else from the fetched results. */
    public String log(String runRef, boolean stderr) {
        RunRecord run = findRun(runRef);
        InstanceRecord record = run.instance() == null ? null : keeper.get().instance(run.instance()).orElse(null);
        if (record != null && run.submitted()) {
            try (var shell = provider.shell(record)) {
                var result = shell.exec(RemoteCommands.readFile(
                        layout.on(record.name()).runFile(run.rid(), stderr ? "err.log" : "out.log")));
                if (result.ok() && !result.stdout().isEmpty()) {
                    return result.stdout();
                }
            } catch (IOException | RuntimeException unreachable) {
                // fall back to what was fetched
            }
        }
        Path file = fetcher.folder(run).resolve(stderr ? Fetcher.STDERR : Fetcher.STDOUT);
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new SessionException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A run by uid, remote id, {@code job/repeat}, or job name when it has one repeat. */
    public RunRecord findRun(String ref) {
        List<RunRecord> runs = runs().stream().map(RunView::run).toList();
        List<RunRecord> matches = runs.stream().filter(r -> r.uid().equals(ref) || r.rid().equals(ref)
                || (r.job() + "/" + r.repeat()).equals(ref) || r.job().equals(ref) || r.uid().startsWith(ref)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new SessionException(matches.isEmpty()
                ? "no run '" + ref + "': name one as JOB/REPEAT, JOB or its id (see `katapult status`)"
                : "'" + ref + "' names " + matches.size() + " runs: use JOB/REPEAT");
    }

    // ---------------------------------------------------------------- scripting API (issue 5)

    /** {@code up()} in scripts: places the runs and starts the instances that have work (= {@link #start()}). */
    public void up() {
        start();
    }

    /**
     * Adds a job to the running session and sends its runs off; returns its handle. The job is written as a map-form
     * addition file under {@code .katapult/<project>/added/}, so a resumed session still has it. Submitting a job
     * the session already has, unchanged, returns that job (a script run twice runs nothing twice).
     */
    public JobHandle submit(katapult.config.JobSpec job) {
        return Submissions.submit(this, base -> katapult.dsl.JobForms.bindSpec(job, configFolder(), base));
    }

    /** A job built in code: {@code session.submit(Katapult.job("x").command("echo hi > o.txt").outputs("o.txt"))}. */
    public JobHandle submit(JobBuilder job) {
        return submit(job.build());
    }

    /** A job given with the map form's keys: {@code session.submit(run_command: 'echo hi > o.txt', output_files: 'o.txt')}. */
    public JobHandle submit(Map<String, ?> job) {
        return Submissions.submit(this, base -> katapult.dsl.JobForms.bindMap(job, configFolder(), base));
    }

    /** A job in the config's job form: {@code session.submit { runCommand 'echo hi > o.txt'; outputFiles 'o.txt' }}. */
    public JobHandle submit(groovy.lang.Closure<?> job) {
        return Submissions.submit(this, base -> katapult.dsl.JobForms.bindClosure(job, configFolder(), base));
    }

    /** The handle of a job of the session, by name. */
    public JobHandle job(String name) {
        if (plan.jobs().get(name) == null) {
            throw new SessionException("no job '" + name + "' in project " + project()
                    + katapult.config.DidYouMean.hint(name, plan.jobs().keySet()));
        }
        return new JobHandle(this, name);
    }

    /** Waits (driving the session) until every run is finished and fetched. */
    public boolean awaitAll() {
        return waitAll(null);
    }

    /** One round of the session (see {@link #waitAll}); returns whether every run is finished and fetched. */
    public boolean advance() {
        step();
        return records().stream().allMatch(Session::settled);
    }

    /** Where a run's outputs and logs land when fetched: {@code results/<project>/<job>/<repeat>/}. */
    public Path resultFolder(RunRecord run) {
        return fetcher.folder(run);
    }

    /** The folder relative paths of jobs given in code resolve against: the config file's. */
    Path configFolder() {
        Path source = config.source();
        return source != null && source.getParent() != null ? source.getParent() : workspace;
    }

    Path workspace() {
        return workspace;
    }

    private int holds = 1;

    /**
     * One more holder of this open session (the REPL lends its session to the commands it runs): each
     * {@link #close()} releases one hold, and the last one closes the session.
     */
    public synchronized Session retain() {
        holds++;
        return this;
    }

    // ---------------------------------------------------------------- plumbing

    private Map<String, String> agentEnvironment() {
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while waiting", e);
        }
    }

    ProjectState state() {
        return keeper.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (--holds > 0) {
                return;
            }
        }
        provider.close();
        keeper.close();
    }
}
