package katapult.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import katapult.state.RunRecord;
import katapult.state.RunTransitions;

/**
 * What happens to runs when something goes wrong around them: lost runs go again (up to
 * {@link RunTransitions#MAX_ATTEMPTS}), runs of an instance that cannot be made and runs waiting for a failed run are
 * ABORTED with the reason. Each change is saved at once and told to the listener.
 */
final class Recovery {

    private final StateKeeper keeper;
    private final Consumer<Event> listener;

    Recovery(StateKeeper keeper, Consumer<Event> listener) {
        this.keeper = keeper;
        this.listener = listener;
    }

    /** A lost run goes again on its instance, or is ABORTED once it has had its attempts. */
    static RunRecord retryOrAbort(RunRecord run, String why) {
        return RunTransitions.apply(run, new RunTransitions.Lost(why));
    }

    /** The unfinished runs that were on {@code instance} are lost: each goes again, or gives up. */
    void requeueLost(String instance, String why) {
        apply(run -> instance.equals(run.instance()) && run.submitted() && !run.state().finished(),
                run -> Optional.of(retryOrAbort(run, why)));
    }

    /** Katapult stopped the instances on purpose: every unfinished run on one waits again. */
    void halt() {
        apply(run -> run.submitted() && !run.state().finished(),
                run -> Optional.of(RunTransitions.apply(run, new RunTransitions.Halted())));
    }

    /** The provider cannot make {@code instance}: its unfinished runs are ABORTED with the reason. */
    void abandon(String instance, String reason) {
        listener.accept(new Event.Warning(reason));
        apply(run -> instance.equals(run.instance()) && !run.state().finished(),
                run -> Optional.of(RunTransitions.apply(run, new RunTransitions.Abandoned(reason))));
    }

    /** ABORTs the runs among {@code uids} that wait for a run that was ABORTED: they could never start. */
    boolean abortUnreachable(Set<String> uids, Dependencies dependencies) {
        return apply(run -> uids.contains(run.uid()) && !run.submitted() && !run.state().finished(),
                run -> dependencies.failedUpstream(run, keeper.runsByUid())
                        .map(reason -> RunTransitions.apply(run, new RunTransitions.Abandoned(reason))));
    }

    /** Changes every run {@code which} selects and {@code change} gives a new record for; returns whether any. */
    private boolean apply(Predicate<RunRecord> which, Function<RunRecord, Optional<RunRecord>> change) {
        List<Event.RunChanged> changes = new ArrayList<>();
        keeper.update(state -> {
            Map<String, RunRecord> updates = new HashMap<>();
            for (RunRecord run : state.runs()) {
                Optional<RunRecord> changed = which.test(run) ? change.apply(run) : Optional.empty();
                if (changed.isPresent() && !changed.get().equals(run)) {
                    updates.put(run.uid(), changed.get());
                    changes.add(new Event.RunChanged(changed.get(), run.state()));
                }
            }
            return updates.isEmpty() ? state : state.updateRuns(updates.keySet(), r -> updates.get(r.uid()));
        });
        changes.forEach(listener);
        return !changes.isEmpty();
    }
}
