package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import katapult.plan.Plan;
import katapult.provider.Provider;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.InstanceState;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.state.RunTransitions;
import katapult.transport.Shell;

/**
 * Brings finished runs home: one tar stream per instance and poll. A file an instance does not have (or will not
 * send: a link leading out of the run's folder, a folder, a device) is tried {@link Session#MAX_ATTEMPTS} times, then
 * its run is ABORTED with the reason, so a lost output never makes a wait endless. An instance that cannot be reached
 * is tried again later. When this machine cannot store results (disk full, a file in the way), the fetch is tried
 * {@link #LOCAL_TRIES} times, then the session stops saying why: the runs stay on their instances for a later fetch.
 */
final class Harvest {

    static final Duration BATCH_DELAY = Duration.ofSeconds(2);
    static final int LOCAL_TRIES = 5;
    static final Duration LOCAL_PAUSE = Duration.ofSeconds(1);

    private final Supplier<Plan> plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Fetcher fetcher;
    private final Consumer<Event> listener;
    private final InstanceTroubles troubles;
    private final FetchAcks acks;
    private final RunsCsvWriter tables;
    private final Checkpoints checkpoints;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** When this session first saw each finished, unfetched run (System.nanoTime). */
    private final Map<String, Long> finishedSince = new ConcurrentHashMap<>();
    /** Fetches in a row that this machine could not store, and when the next may be tried (System.nanoTime). */
    private int localFailures;
    private long nextLocalTry;

    Harvest(Supplier<Plan> plan, RemoteLayout layout, StateKeeper keeper, Provider provider, Fetcher fetcher,
            Consumer<Event> listener, InstanceTroubles troubles, RunsCsvWriter tables, Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.provider = provider;
        this.fetcher = fetcher;
        this.listener = listener;
        this.troubles = troubles;
        this.acks = new FetchAcks(layout);
        this.tables = tables;
    }

    /**
     * Fetches the finished, submitted, unfetched runs of {@code runs}; returns whether it fetched from any instance.
     * Unless {@code now}, an instance whose other runs still go is fetched from once its oldest such run has waited
     * {@link #BATCH_DELAY}: results then come home in batches, not one round trip per poll while runs keep ending.
     * With {@code now} (an explicit fetch), this machine failing to store results stops at once.
     *
     * @throws SessionException when this machine could not store results {@link #LOCAL_TRIES} times in a row
     */
    boolean fetchFinished(List<RunRecord> runs, boolean now) {
        return fetchFinished(runs, now, null);
    }

    /**
     * As {@link #fetchFinished(List, boolean)}; an instance that cannot be reached because it is stopped (its agent
     * stopped it while Katapult was away) is started with {@code startStopped} (null: left stopped) and fetched from.
     */
    boolean fetchFinished(List<RunRecord> runs, boolean now, Parallel.Work<String> startStopped) {
        long clock = System.nanoTime();
        if (!now && localFailures > 0 && clock < nextLocalTry) {
            return false;
        }
        Map<String, List<RunRecord>> byInstance = finishedByInstance(runs, now, clock);
        catchUpAcks(runs, byInstance.keySet());
        Map<String, Exception> failed = fetchEach(byInstance);
        if (startStopped != null) {
            Set<String> started = startStopped(failed, startStopped);
            if (!started.isEmpty()) {
                failed.keySet().removeAll(started);
                Map<String, List<RunRecord>> again = new LinkedHashMap<>(byInstance);
                again.keySet().retainAll(started);
                failed.putAll(fetchEach(again));
            }
        }
        ackOthers(byInstance.keySet());
        ResultsUnwritableException local = null;
        for (Map.Entry<String, Exception> failure : failed.entrySet()) {
            if (failure.getValue() instanceof ResultsUnwritableException unwritable) {
                local = unwritable;
            } else {
                // each instance on its own: one that fails is told once (not at every poll), the others' come home
                troubles.report(failure.getKey(), failure.getValue(), "cannot fetch from " + failure.getKey()
                        + " yet: " + failure.getValue().getMessage());
            }
        }
        byInstance.keySet().stream().filter(name -> !failed.containsKey(name)).forEach(troubles::cleared);
        // the runs tables follow every change of the runs, fetched or not
        Map<String, RunRecord> latest = keeper.runsByUid();
        tables.update(runs.stream().map(r -> latest.get(r.uid())).toList());
        if (local != null) {
            cannotStore(local, now);
        } else if (!byInstance.isEmpty()) {
            localFailures = 0;
        }
        return !byInstance.isEmpty();
    }

    private Map<String, Exception> fetchEach(Map<String, List<RunRecord>> byInstance) {
        return Parallel.each(byInstance.keySet(), name -> {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            try (var shell = provider.shell(record)) {
                fetchFrom(shell, byInstance.get(name));
            }
        });
    }

    /** Starts the instances of {@code failed} that are stopped; returns those started. */
    private Set<String> startStopped(Map<String, Exception> failed, Parallel.Work<String> start) {
        List<InstanceRecord> records = failed.entrySet().stream()
                .filter(f -> !(f.getValue() instanceof ResultsUnwritableException))
                .map(f -> keeper.get().instance(f.getKey()).orElseThrow()).toList();
        if (records.isEmpty()) {
            return Set.of();
        }
        Set<String> stopped = new HashSet<>();
        try {
            provider.statuses(records).forEach((name, status) -> {
                if (InstanceState.of(status) == InstanceState.STOPPED) {
                    stopped.add(name);
                }
            });
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        stopped.forEach(name -> listener.accept(new Event.Step("fetch", name
                + " is stopped with results not fetched: starting it")));
        Map<String, Exception> notStarted = Parallel.each(stopped, start);
        troubles.reportAll("start", notStarted);
        stopped.removeAll(notStarted.keySet());
        return stopped;
    }

    /** Queues, once per instance fetched from, the runs fetched from it earlier (a killed Katapult's acknowledgements). */
    private void catchUpAcks(List<RunRecord> runs, Set<String> instances) {
        for (String instance : instances) {
            acks.catchUp(instance, runs.stream().filter(r -> r.fetched() && instance.equals(r.instance()))
                    .map(RunRecord::rid).toList());
        }
    }

    /** Acknowledgements that did not arrive earlier, to instances not fetched from this round (best effort, quiet). */
    private void ackOthers(Set<String> fetchedFrom) {
        Set<String> others = new HashSet<>(acks.waiting());
        others.removeAll(fetchedFrom);
        Parallel.each(others, name -> {
            InstanceRecord record = keeper.get().instance(name).orElse(null);
            if (record != null) {
                try (var shell = provider.shell(record)) {
                    acks.send(shell, name);
                }
            }
        });
    }

    private Map<String, List<RunRecord>> finishedByInstance(List<RunRecord> runs, boolean now, long clock) {
        Map<String, List<RunRecord>> byInstance = new LinkedHashMap<>();
        Set<String> busy = new HashSet<>();
        for (RunRecord run : runs) {
            if (run.state().finished() && !run.fetched() && run.submitted()) {
                byInstance.computeIfAbsent(run.instance(), k -> new ArrayList<>()).add(run);
                finishedSince.putIfAbsent(run.uid(), clock);
            } else if (!run.state().finished() && run.submitted()) {
                busy.add(run.instance());
            }
        }
        if (!now) {
            byInstance.keySet().removeIf(name -> busy.contains(name) && byInstance.get(name).stream()
                    .allMatch(run -> clock - finishedSince.get(run.uid()) < BATCH_DELAY.toNanos()));
        }
        return byInstance;
    }

    /** This machine could not store results: tell, wait a little longer each time, and stop after the last try. */
    private void cannotStore(ResultsUnwritableException e, boolean now) {
        localFailures++;
        if (now || localFailures >= LOCAL_TRIES) {
            int tries = localFailures;
            localFailures = 0;
            throw new SessionException("cannot store fetched results: " + e.getMessage() + " (" + tries
                    + (tries == 1 ? " try" : " tries") + "). The finished runs stay on their instances: make room"
                    + " (or fix the results folder), then run `katapult fetch` or `katapult wait`.", e);
        }
        Duration pause = LOCAL_PAUSE.multipliedBy(localFailures);
        nextLocalTry = System.nanoTime() + pause.toNanos();
        listener.accept(new Event.Warning("cannot store fetched results (try " + localFailures + " of " + LOCAL_TRIES
                + "): " + e.getMessage() + "; trying again in " + pause.toSeconds() + " s"));
    }

    private void fetchFrom(Shell shell, List<RunRecord> finished) throws IOException {
        Fetcher.Batch batch = fetcher.fetchBatch(shell, layout.on(finished.get(0).instance()), finished.stream()
                .map(r -> new Fetcher.Item(r, outputsOf(r))).toList(),
                progress -> listener.accept(new Event.Step("fetch", progress)));
        fetched(batch.complete());
        // the files are written and the state saved: now the instance may count these runs fetched
        String instance = finished.get(0).instance();
        acks.stored(instance, batch.complete().stream().map(RunRecord::rid).toList());
        acks.send(shell, instance);
        batch.warnings().forEach(warning -> listener.accept(new Event.Warning(warning)));
        for (RunRecord run : finished) {
            String problem = batch.problems().get(run.uid());
            if (problem != null) {
                notFetched(run, problem);
            }
        }
    }

    /** Some of a run's outputs could not come: try again later, or give the run up after its attempts. */
    private void notFetched(RunRecord run, String what) {
        if (failures.merge(run.uid(), 1, Integer::sum) < Session.MAX_ATTEMPTS) {
            listener.accept(new Event.Warning("cannot fetch " + run.job() + "/" + run.repeat() + " yet: " + what
                    + " (on " + run.instance() + ")"));
            return;
        }
        RunRecord aborted = RunTransitions.apply(run, new RunTransitions.ResultsLost(
                "its results could not be fetched from " + run.instance() + ": " + what));
        keeper.update(s -> s.updateRun(run.uid(), r -> aborted));
        finishedSince.remove(run.uid());
        listener.accept(new Event.RunChanged(aborted, run.state()));
    }

    private List<String> outputsOf(RunRecord run) {
        return plan.get().run(run.uid()).orElseThrow().job().spec().outputFiles();
    }

    /** Records runs whose results are home; one save for the batch (a save writes the whole state file). */
    private void fetched(List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return;
        }
        Set<String> uids = new HashSet<>();
        runs.forEach(run -> uids.add(run.uid()));
        keeper.update(s -> s.updateRuns(uids, r -> RunTransitions.apply(r, new RunTransitions.Fetched())));
        uids.forEach(finishedSince::remove);
        runs.forEach(run -> listener.accept(new Event.Fetched(run, fetcher.folder(run))));
        // a DONE run resumes no more: its checkpoint, if a preemption left one, goes
        runs.stream().filter(run -> run.state() == RunState.DONE).forEach(run -> checkpoints.forget(run.uid()));
    }
}
