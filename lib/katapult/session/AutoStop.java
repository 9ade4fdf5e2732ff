package katapult.session;

import java.util.List;
import java.util.function.Consumer;

import katapult.state.InstanceRecord;
import katapult.state.InstanceState;

/**
 * {@code auto_stop}: once every run of the session is finished and fetched, the instances still up are stopped, on
 * whichever path drove the session there ({@code run}, {@code wait}, {@code watch}, the REPL, a script's
 * {@code awaitAll()} or rounds of {@code advance()}). A wait that gives up on a timeout never gets here. A later
 * submit starts the stopped instances again, as any start does.
 */
final class AutoStop {

    private final Workload work;
    private final StateKeeper keeper;
    private final Teardown teardown;
    private final Consumer<Event> listener;

    AutoStop(Workload work, StateKeeper keeper, Teardown teardown, Consumer<Event> listener) {
        this.work = work;
        this.keeper = keeper;
        this.teardown = teardown;
        this.listener = listener;
    }

    /**
     * Called when every run is finished and fetched: stops the instances still up, when auto_stop is on, naming
     * them in plan order.
     */
    void settled() {
        if (!work.config().autoStop()) {
            return;
        }
        List<String> up = PlanOrder.of(work.plan()).sorted(keeper.get().instances().stream()
                .filter(i -> i.state() != InstanceState.STOPPED).map(InstanceRecord::name).toList(), name -> name);
        if (up.isEmpty()) {
            return;
        }
        listener.accept(new Event.Step("stop", "auto_stop: every run is finished and fetched, stopping "
                + String.join(", ", up) + " (auto_stop false keeps them up)"));
        teardown.stop();
    }
}
