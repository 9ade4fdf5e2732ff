package katapult.session;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import katapult.state.RunRecord;
import katapult.state.RunTransitions;
import katapult.state.RunState;

/**
 * Brings every finished run home before its instance is stopped or removed. Runs after the agents were stopped: their
 * last states are read once (nothing changes after), the finished runs fetched, and those that could not come are
 * named, so that {@code down} can refuse rather than destroy them.
 */
final class Safekeeping {

    private final StateKeeper keeper;
    private final Poller poller;
    private final Harvest harvest;
    private final Consumer<Event> listener;

    Safekeeping(StateKeeper keeper, Poller poller, Harvest harvest, Consumer<Event> listener) {
        this.keeper = keeper;
        this.poller = poller;
        this.harvest = harvest;
        this.listener = listener;
    }

    /**
     * Reads the runs' last states and fetches every finished run not fetched yet.
     *
     * @return the runs whose results are still only on their instances, each as "job/repeat on instance (STATE)"
     * @throws SessionException when this machine cannot store the results (nothing is lost: they stay out there)
     */
    List<String> bringHome(String step) {
        poller.pollAll((instance, status) -> { });   // a stopped or gone instance is not brought back here
        long waiting = keeper.get().runs().stream().filter(Safekeeping::unfetched).count();
        if (waiting > 0) {
            listener.accept(new Event.Step(step, "fetching " + waiting + " finished run(s) first"));
            harvest.fetchFinished(keeper.get().runs(), true);
        }
        return stranded().stream()
                .map(run -> run.job() + "/" + run.repeat() + " on " + run.instance() + " (" + run.state() + ")")
                .toList();
    }

    /**
     * Gives up the results {@link #bringHome} could not fetch: finished runs are ABORTED saying so (never run again);
     * runs whose outcome is unknown go again, as any run of a removed instance does.
     */
    void discard() {
        Set<String> finished = stranded().stream().filter(run -> run.state().finished()).map(RunRecord::uid)
                .collect(Collectors.toSet());
        keeper.update(state -> state.updateRuns(finished, run -> RunTransitions.apply(run,
                new RunTransitions.ResultsLost("its results were discarded by `down --discard-unfetched`"))));
        listener.accept(new Event.Warning("discarded the results of " + finished.size() + " finished run(s)"));
    }

    private List<RunRecord> stranded() {
        return keeper.get().runs().stream()
                .filter(run -> unfetched(run) || run.submitted() && run.state() == RunState.UNKNOWN)
                .toList();
    }

    private static boolean unfetched(RunRecord run) {
        return run.state().finished() && run.submitted() && !run.fetched();
    }
}
