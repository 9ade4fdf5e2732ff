package katapult.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.StateStore;

/** The session's one copy of the project state; every change is saved before anyone sees it. Thread-safe. */
final class StateKeeper {

    private final StateStore store;
    private ProjectState state;
    /** The runs of {@link #state} by uid, made on first use after each change. */
    private Map<String, RunRecord> byUid;

    StateKeeper(StateStore store, ProjectState initial) {
        this.store = store;
        this.state = initial;
        store.save(initial);
    }

    synchronized ProjectState get() {
        return state;
    }

    synchronized ProjectState update(UnaryOperator<ProjectState> change) {
        ProjectState next = change.apply(state);
        if (!next.equals(state)) {
            store.save(next);
            state = next;
            byUid = null;
        }
        return state;
    }

    /**
     * {@link #update} for a change that looks runs up: it is given the runs by uid with the state, the index this
     * keeper already holds, so that a change over many runs does not build another.
     */
    synchronized ProjectState update(BiFunction<ProjectState, Map<String, RunRecord>, ProjectState> change) {
        return update(current -> change.apply(current, runsByUid()));
    }

    /** The current state's runs by uid, read-only: lookups in loops over runs must not scan them all. */
    synchronized Map<String, RunRecord> runsByUid() {
        if (byUid == null) {
            byUid = Collections.unmodifiableMap(state.runsByUid());
        }
        return byUid;
    }

    /** Records an instance: replaces the one of that name, or adds it. */
    void putInstance(InstanceRecord record) {
        update(s -> {
            if (s.instance(record.name()).isPresent()) {
                return s.updateInstance(record.name(), old -> record);
            }
            List<InstanceRecord> instances = new ArrayList<>(s.instances());
            instances.add(record);
            return s.withInstances(instances);
        });
    }

    void close() {
        store.close();
    }
}
