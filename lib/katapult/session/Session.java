package katapult.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import groovy.lang.Closure;
import katapult.config.Config;
import katapult.config.JobSpec;
import katapult.cost.Estimate;
import katapult.cost.ProjectCost;
import katapult.plan.Plan;
import katapult.provider.Provider;
import katapult.providers.ProviderFactory;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunTransitions;
import katapult.state.RunState;

/**
 * One project's session: the single API behind the CLI, the REPL and user scripts. It is a facade: the
 * {@link Project} opens the project and its state, the {@link Workload} keeps the config's plan in step with that
 * state, {@link Dispatch} starts, deploys and submits, the {@link Engine} runs the poll, fetch, recover and dispatch
 * loop, {@link Teardown} stops and removes, and {@link ScriptApi} serves scripts. It never prints: progress goes to
 * the listener as {@link Event}s.
 */
public final class Session implements AutoCloseable {

    static final int MAX_ATTEMPTS = RunTransitions.MAX_ATTEMPTS;

    private final Path workspace;
    private final Consumer<Event> listener;
    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final Fetcher fetcher;
    private final Workload work;
    private final Dispatch dispatch;
    private final Engine engine;
    private final Poller poller;
    private final Harvest harvest;
    private final Teardown teardown;
    private final Reset reset;
    private final InstanceTroubles troubles;
    private final ScriptApi scripting;
    private final Spending spending;
    private final Requeue requeue;
    private int holds = 1;

    private Session(Path workspace, Project project, Consumer<Event> listener, ProviderFactory providers) {
        Config config = project.config();
        this.workspace = workspace.toAbsolutePath().normalize();
        this.listener = listener;
        this.keeper = project.keeper();
        this.layout = new RemoteLayout(config.project(), config.remoteRoots());
        this.provider = providers.create(config, stateDir(this.workspace, config.project()));
        this.provider.notices(message -> listener.accept(new Event.Step("wait", message)));
        this.provider.warnings(message -> listener.accept(new Event.Warning(message)));
        this.fetcher = new Fetcher(Project.resultsDir(this.workspace, config.project()));
        Recovery recovery = new Recovery(keeper, listener);
        Checkpoints checkpoints = new Checkpoints(stateDir(this.workspace, config.project()));
        this.troubles = new InstanceTroubles(listener);
        this.work = new Workload(config, provider, keeper, fetcher);
        this.dispatch = new Dispatch(work, keeper, provider, layout, fetcher, checkpoints, recovery, listener);
        this.spending = new Spending(work, keeper, provider, dispatch);
        this.harvest = new Harvest(work::plan, layout, keeper, provider, fetcher, listener, troubles,
                new RunsCsvWriter(work::plan, fetcher, spending::seenShares, listener), checkpoints);
        this.poller = new Poller(work::plan, layout, keeper, provider, listener, troubles, checkpoints);
        Safekeeping safekeeping = new Safekeeping(keeper, poller, harvest, listener);
        this.teardown = new Teardown(keeper, provider, layout, recovery, safekeeping, listener);
        this.reset = new Reset(keeper, provider, layout, recovery, safekeeping, listener);
        this.engine = new Engine(work, keeper, poller, harvest, recovery, dispatch, troubles, fetcher,
                new AutoStop(work, keeper, teardown, listener),
                new CostGuard(work, keeper, provider, teardown, recovery, listener), listener);
        this.scripting = new ScriptApi(this, work, dispatch, engine, this.workspace);
        this.requeue = new Requeue(work, keeper, fetcher, checkpoints, () -> fetchFinished(null));
    }

    /** Builds the session on an opened project, letting the project go when that fails. */
    private static Session over(Path workspace, Project project, Consumer<Event> listener,
                                ProviderFactory providers) {
        try {
            return new Session(workspace, project, listener, providers);
        } catch (RuntimeException e) {
            project.keeper().close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- opening

    /** Opens (or resumes) the project of {@code configFile}, with the config as it is in that file now. */
    public static Session open(Path workspace, Path configFile, Consumer<Event> listener) {
        return open(workspace, configFile, listener, ProviderFactory.DEFAULT);
    }

    /** {@link #open(Path, Path, Consumer)} with the provider made by {@code providers}. */
    public static Session open(Path workspace, Path configFile, Consumer<Event> listener, ProviderFactory providers) {
        return over(workspace, Project.open(workspace, configFile), listener, providers);
    }

    /** Resumes a project from its saved state; {@code project} may be null when the workspace has exactly one. */
    public static Session resume(Path workspace, String project, Consumer<Event> listener) {
        return resume(workspace, project, listener, ProviderFactory.DEFAULT);
    }

    /** {@link #resume(Path, String, Consumer)} with the provider made by {@code providers}. */
    public static Session resume(Path workspace, String project, Consumer<Event> listener, ProviderFactory providers) {
        return over(workspace, Project.resume(workspace, project, listener), listener, providers);
    }

    /** Reads a project's status from its saved state, without locking it or reaching any instance. */
    public static Status peek(Path workspace, String project) {
        ProjectState state = Project.peek(workspace, project);
        Fetcher fetcher = new Fetcher(Project.resultsDir(workspace, state.project()));
        List<RunView> runs = state.runs().stream().map(r -> view(r, fetcher)).toList();
        return new Status(state.project(), false, state.instances(), runs);
    }

    /** Projects that have a state folder in this workspace. */
    public static List<String> projects(Path workspace) {
        return Project.projects(workspace);
    }

    /** {@code <workspace>/.katapult/<project>}: the project's state, lock, sandboxes and pinned host keys. */
    public static Path stateDir(Path workspace, String project) {
        return Project.stateDir(workspace, project);
    }

    /** Adds the jobs (and environments, instances) of another config file to the session. */
    public void add(Path file) {
        work.add(file);
    }

    // ---------------------------------------------------------------- views

    public Config config() {
        return work.config();
    }

    public Plan plan() {
        return work.plan();
    }

    public String project() {
        return work.config().project();
    }

    /** {@code results/<project>} under the workspace. */
    public Path resultsFolder() {
        return fetcher.root();
    }

    /** The runs of the current config, as last known, with the stderr tail of those ABORTED. */
    public List<RunView> runs() {
        return work.records().stream().map(r -> view(r, fetcher)).toList();
    }

    private static RunView view(RunRecord run, Fetcher fetcher) {
        return new RunView(run, run.state() == RunState.ABORTED ? fetcher.stderrTail(run, 10) : "");
    }

    /** One run of the current config as last known, by uid (for a handle: no other run's view is built). */
    RunView view(String uid) {
        RunRecord run = work.plan().run(uid).isPresent() ? keeper.get().runsByUid().get(uid) : null;
        if (run == null) {
            throw new SessionException("run " + uid + " is no longer part of the session");
        }
        return view(run, fetcher);
    }

    /** Instances in plan order (those the config no longer has last), runs in plan order. */
    public Status status() {
        List<InstanceRecord> instances = PlanOrder.of(work.plan()).sorted(keeper.get().instances(),
                InstanceRecord::name);
        return new Status(project(), true, instances, runs());
    }

    /**
     * What each running instance tells of itself beyond its runs (one exec each): its lifecycle clocks when its agent
     * may shut it down, and its free disk.
     */
    public InstanceReadings readings() {
        return new ClockReader(layout, provider).read(work.plan(), keeper.get().instances());
    }

    /** Reads every instance once and returns the fresh status. */
    public Status refresh() {
        poll();
        return status();
    }

    // ---------------------------------------------------------------- steps

    /**
     * start → assign → deploy → submit → wait (fetching as runs finish; then auto_stop, see {@link #waitAll}). An
     * instance that fails a step is told and tried again while the others go on; only a step no instance with work
     * could do stops the session.
     */
    public boolean runAll(Duration timeout) {
        engine.checkCost();
        dispatch.startDeploySubmit(dispatch.goOnUnlessAllFailed(troubles));
        return waitAll(timeout);
    }

    /** Places runs not yet placed, then makes sure every instance that has work exists and has the agent. */
    public void start() {
        Parallel.orThrow("start", dispatch.startEach());
    }

    /** Gives every unplaced run an instance, keeping the load of runs already placed. */
    public void assign() {
        dispatch.assign();
    }

    /** Sends files and environment specs to every instance with work; the agents set environments up. */
    public void deploy() {
        Parallel.orThrow("deploy", dispatch.deployEach(Set.of()));
        if (work.config().printDeploy()) {
            dispatch.awaitEnvironments();
        }
    }

    /** Queues every run not on its instance yet, placing runs and starting instances first where needed. */
    public void submit() {
        dispatch.submitAll(dispatch.goOnUnlessAllFailed(troubles));
    }

    /**
     * Polls until every run is finished and fetched, or {@code timeout} (null: none) passes. Lost runs are
     * re-submitted, finished runs fetched as they finish. Returns whether everything finished; when it did and
     * {@code auto_stop} is on, the instances are stopped (a later submit or run starts them again).
     */
    public boolean waitAll(Duration timeout) {
        return engine.awaitRuns(null, timeout);
    }

    /** Drives the session until the runs with these uids (null: all) are finished and fetched, or timeout passes. */
    boolean awaitRuns(Collection<String> uids, Duration timeout) {
        return engine.awaitRuns(uids, timeout);
    }

    /** Reads every instance with unfinished runs once; returns whether any run changed. */
    boolean poll() {
        return engine.poll();
    }

    /** Fetches finished runs not fetched yet; with {@code into}, also copies every finished run's results there. */
    public boolean fetchFinished(Path into) {
        boolean any = harvest.fetchFinished(work.records(), true, dispatch::startAgain);
        if (into != null) {
            fetcher.copyFetched(work.records(), into);
        }
        return any;
    }

    /**
     * Deletes {@code ~/.katapult/<project>} on every instance (started when stopped), after stopping the agents and
     * fetching every finished run: the next start and deploy install and upload everything again. DONE runs stay DONE;
     * runs in progress go again as a new attempt.
     */
    public void reset() {
        reset.reset(dispatch::startAgain);
    }

    /**
     * {@code katapult retry}: the ABORTED runs of {@code job} (null: all; with {@code failedOnly}, those whose attempt
     * failed by its own doing) back in the queue as fresh attempts, never a DONE run (see {@link Requeue}).
     */
    public Retried retry(boolean failedOnly, String job) {
        return requeue.retry(failedOnly, job);
    }

    public Retried retry() {
        return retry(false, null);
    }

    /** Stops the agents and their runs on every instance, then the instances themselves. */
    public void stop() {
        teardown.stop();
    }

    /** Stops and removes every instance; the results and the record of finished runs stay. */
    public void down() {
        down(false, false);
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

    /** The estimated $/hour of the instances {@link #start} would start (runs placed first); empty when free. */
    public Optional<Estimate> estimate() {
        return spending.estimate();
    }

    /** What the project's instances have cost so far and cost now, and each run's share; empty when free. */
    public Optional<ProjectCost> cost() {
        return spending.cost();
    }

    /** Poll round trips since this session opened: one per instance with unfinished runs per poll, whatever the runs. */
    public long pollRoundTrips() {
        return poller.roundTrips();
    }

    /** A run's stdout or stderr, from its instance when reachable, else from the fetched results. */
    public String log(String runRef, boolean stderr) {
        return new RunLogs(keeper, provider, layout, fetcher).read(findRun(runRef), stderr);
    }

    /** A run by uid, remote id, {@code job/repeat}, or job name when it has one repeat. */
    public RunRecord findRun(String ref) {
        return work.find(ref);
    }

    // ---------------------------------------------------------------- scripting API

    /** {@code up()} in scripts: places the runs and starts the instances that have work (= {@link #start()}). */
    public void up() {
        start();
    }

    /**
     * Adds a job to the running session and sends its runs off; returns its handle. The job is saved under
     * {@code .katapult/<project>/added/}, so a resumed session still has it. Submitting a job the session already
     * has, unchanged, returns that job (a script run twice runs nothing twice).
     */
    public JobHandle submit(JobSpec job) {
        return scripting.submit(job);
    }

    /** A job built in code: {@code session.submit(Katapult.job("x").command("echo hi > o.txt").outputs("o.txt"))}. */
    public JobHandle submit(JobBuilder job) {
        return submit(job.build());
    }

    /** A job given with the map form's keys: {@code session.submit(run_command: 'echo hi > o.txt', output_files: 'o.txt')}. */
    public JobHandle submit(Map<String, ?> job) {
        return scripting.submit(job);
    }

    /** A job in the config's job form: {@code session.submit { runCommand 'echo hi > o.txt'; outputFiles 'o.txt' }}. */
    public JobHandle submit(Closure<?> job) {
        return scripting.submit(job);
    }

    /** The handle of a job of the session, by name. */
    public JobHandle job(String name) {
        return scripting.job(name);
    }

    /** Waits (driving the session) until every run is finished and fetched; then auto_stop applies. */
    public boolean awaitAll() {
        return waitAll(null);
    }

    /** One round of the session (see {@link #waitAll}, auto_stop included); returns whether every run is settled. */
    public boolean advance() {
        return scripting.advance();
    }

    /** Where a run's outputs and logs land when fetched: {@code results/<project>/<job>/<repeat>/}. */
    public Path resultFolder(RunRecord run) {
        return fetcher.folder(run);
    }

    /**
     * One more holder of this open session (the REPL lends its session to the commands it runs): each
     * {@link #close()} releases one hold, and the last one closes the session.
     */
    public synchronized Session retain() {
        holds++;
        return this;
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
