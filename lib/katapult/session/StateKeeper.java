package katapult.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.StateStore;

/** The session's one copy of the project state; every change is saved before anyone sees it. Thread-safe. */
final class StateKeeper {

    private final StateStore store;
    private ProjectState state;

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
        }
        return state;
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
