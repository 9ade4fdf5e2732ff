package katapult.session;

import java.util.function.UnaryOperator;

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

    void close() {
        store.close();
    }
}
