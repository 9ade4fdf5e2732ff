package katapult.session;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
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
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.transport.SafePaths.UnsafePathException;
import katapult.transport.Shell;

/**
 * Brings finished runs home: one tar stream per instance and poll, file by file where that fails. A file an instance
 * does not have (or names hostilely) is tried {@link Session#MAX_ATTEMPTS} times, then its run is ABORTED with the
 * reason, so a lost output never makes a wait endless. An instance that cannot be reached is tried again later.
 */
final class Harvest {

    private final Supplier<Plan> plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Fetcher fetcher;
    private final Consumer<Event> listener;
    private final InstanceTroubles troubles;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** When this session first saw each finished, unfetched run (System.nanoTime). */
    private final Map<String, Long> finishedSince = new ConcurrentHashMap<>();

    static final Duration BATCH_DELAY = Duration.ofSeconds(2);

    Harvest(Supplier<Plan> plan, RemoteLayout layout, StateKeeper keeper, Provider provider, Fetcher fetcher,
            Consumer<Event> listener, InstanceTroubles troubles) {
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.provider = provider;
        this.fetcher = fetcher;
        this.listener = listener;
        this.troubles = troubles;
    }

    /**
     * Fetches the finished, submitted, unfetched runs of {@code runs}; returns whether it fetched from any instance.
     * Unless {@code now}, an instance whose other runs still go is fetched from once its oldest such run has waited
     * {@link #BATCH_DELAY}: results then come home in batches, not one round trip per poll while runs keep ending.
     */
    boolean fetchFinished(List<RunRecord> runs, boolean now) {
        Map<String, List<RunRecord>> byInstance = new LinkedHashMap<>();
        Set<String> busy = new HashSet<>();
        long clock = System.nanoTime();
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
        Map<String, Exception> failed = Parallel.each(byInstance.keySet(), name -> {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            try (var shell = provider.shell(record)) {
                fetchFrom(shell, byInstance.get(name));
            }
        });
        // each instance on its own: one that fails is told once (not at every poll), the others' results come home
        failed.forEach((name, e) -> troubles.report(name, e, "cannot fetch from " + name + " yet: " + e.getMessage()));
        byInstance.keySet().stream().filter(name -> !failed.containsKey(name)).forEach(troubles::cleared);
        return !byInstance.isEmpty();
    }

    private void fetchFrom(Shell shell, List<RunRecord> finished) throws IOException {
        Set<String> done = new HashSet<>();
        try {
            List<RunRecord> batch = fetcher.fetchBatch(shell, layout, finished.stream()
                    .map(r -> new Fetcher.Item(r, outputsOf(r))).toList());
            batch.forEach(run -> done.add(run.uid()));
            fetched(batch);
        } catch (Fetcher.PackFailed noTar) {
            // no tar on that host (or a file is missing): file by file below, which says which
        }
        for (RunRecord run : finished) {
            if (!done.contains(run.uid())) {
                fetchOne(shell, run);
            }
        }
    }

    private void fetchOne(Shell shell, RunRecord run) throws IOException {
        try {
            fetcher.fetch(shell, layout, run, outputsOf(run));
            fetched(List.of(run));
        } catch (NoSuchFileException | UnsafePathException e) {
            String what = e instanceof NoSuchFileException ? "missing on " + run.instance() + ": "
                    + e.getMessage() : e.getMessage();
            if (failures.merge(run.uid(), 1, Integer::sum) < Session.MAX_ATTEMPTS) {
                listener.accept(new Event.Warning("cannot fetch " + run.job() + "/" + run.repeat() + " yet: " + what));
                return;
            }
            RunRecord aborted = run.withState(RunState.ABORTED, run.exit(), run.start(), run.end(),
                    "its results could not be fetched: " + what).withFetched(true);
            keeper.update(s -> s.updateRun(run.uid(), r -> aborted));
            finishedSince.remove(run.uid());
            listener.accept(new Event.RunChanged(aborted, run.state()));
        }
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
        keeper.update(s -> s.updateRuns(uids, r -> r.withFetched(true)));
        uids.forEach(finishedSince::remove);
        runs.forEach(run -> listener.accept(new Event.Fetched(run, fetcher.folder(run))));
    }
}
