package katapult.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import katapult.plan.RunPlan;
import katapult.state.InstanceState;
import katapult.state.RunRecord;

/**
 * The session's loop: each round polls the instances, fetches finished runs, gives up runs that can never start,
 * recovers from instances that went down, and dispatches the runs that can go. It drives the parts below it and never
 * calls back into the session; it polls fast while things change and slower while they do not.
 */
final class Engine {

    private static final Duration POLL_MIN = Duration.ofMillis(300);
    private static final Duration POLL_MAX = Duration.ofSeconds(5);

    private final Workload work;
    private final StateKeeper keeper;
    private final Poller poller;
    private final Harvest harvest;
    private final Recovery recovery;
    private final Dispatch dispatch;
    private final InstanceTroubles troubles;
    private final Fetcher fetcher;
    private final AutoStop autoStop;
    private final CostGuard costGuard;
    private final Consumer<Event> listener;

    Engine(Workload work, StateKeeper keeper, Poller poller, Harvest harvest, Recovery recovery, Dispatch dispatch,
           InstanceTroubles troubles, Fetcher fetcher, AutoStop autoStop, CostGuard costGuard,
           Consumer<Event> listener) {
        this.work = work;
        this.keeper = keeper;
        this.poller = poller;
        this.harvest = harvest;
        this.recovery = recovery;
        this.dispatch = dispatch;
        this.troubles = troubles;
        this.fetcher = fetcher;
        this.autoStop = autoStop;
        this.costGuard = costGuard;
        this.listener = listener;
    }

    /**
     * Runs rounds until the runs with these uids (null: all) are finished and fetched, or {@code timeout} (null: none)
     * passes. Returns whether they all finished. When all of them did, the session is {@link #settle settled}.
     */
    boolean awaitRuns(Collection<String> uids, Duration timeout) {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Set<String> awaited = uids == null ? null : Set.copyOf(uids);
        Duration interval = POLL_MIN;
        Progress progress = new Progress(listener);
        while (true) {
            progress.report(work.records());
            boolean changed = round();
            List<RunRecord> records = work.records();
            if (records.stream().filter(r -> awaited == null || awaited.contains(r.uid())).allMatch(RunRecord::settled)) {
                progress.report(records);
                if (awaited == null) {
                    listener.accept(new Event.Step("wait", "every run finished; " + poller.roundTrips()
                            + " poll round trip(s) to " + keeper.get().instances().size() + " instance(s)"));
                    settle();
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
     * One round: reads the instances, ends the session when max_cost is reached ({@link CostGuard}), fetches finished
     * runs, gives up runs whose upstream failed, and sends off runs that can go. Returns whether anything changed.
     */
    boolean round() {
        boolean changed = poll();
        costGuard.check(POLL_MAX);
        changed |= harvest.fetchFinished(work.records(), false, dispatch::startAgain);
        changed |= recovery.abortUnreachable(work.plan().runs().stream().map(RunPlan::uid).collect(Collectors.toSet()),
                new Dependencies(work.plan(), fetcher));
        // runs nobody placed yet (a session opened without init) are placed first, or nothing would ever send them
        dispatch.assign();
        Map<String, List<RunRecord>> pending = dispatch.pendingByInstance();
        if (!pending.isEmpty() || dispatch.awaitingPlacement()) {
            // an instance that fails here is told once and tried again next round: the others go on meanwhile
            changed |= !dispatch.startDeploySubmit(troubles::reportAll).containsAll(pending.keySet());
        }
        return changed;
    }

    /** Ends the session before anything is launched when max_cost is already reached. */
    void checkCost() {
        costGuard.check(POLL_MAX);
    }

    /** One round, then {@link #settle} when every run is finished and fetched; returns whether they all are. */
    boolean advance() {
        round();
        boolean settled = work.records().stream().allMatch(RunRecord::settled);
        if (settled) {
            settle();
        }
        return settled;
    }

    /**
     * The one point where the session has nothing left to do: every path that drives it to its end comes here (a
     * wait that timed out never does), so what follows the end of the work (auto_stop) is done once, here.
     */
    private void settle() {
        autoStop.settled();
    }

    /** Reads every instance with unfinished runs once; returns whether any run changed. */
    boolean poll() {
        return poller.pollAll(this::instanceDown);
    }

    /** A gone instance loses its runs (they go again on its replacement); a stopped one is started again. */
    private void instanceDown(String instance, InstanceState status) {
        if (status == InstanceState.STOPPED) {
            work.plan().instance(instance).ifPresent(p -> troubles.reportAll("start", Parallel.each(List.of(p),
                    dispatch::startInstance)));
        } else {
            recovery.requeueLost(instance, "instance " + instance + " is " + status.word());
        }
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
}
