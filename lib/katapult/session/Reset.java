package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import katapult.provider.Provider;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.InstanceState;

/**
 * Cleans the project's remote folder on every instance, so that the next start installs the agent and the next
 * deploy sends every file and environment again, as on a new machine. The agents and their runs are stopped and
 * every finished run is fetched first: a DONE run stays DONE and is never run again, while a run that was in progress
 * goes again as a new attempt. Nothing is cleaned while a finished run could not be fetched.
 */
final class Reset {

    /** Starts a stopped instance of the plan again (one the plan no longer has is left as it is). */
    interface Starter {
        void start(String instance) throws IOException;
    }

    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final Recovery recovery;
    private final Safekeeping safekeeping;
    private final Consumer<Event> listener;

    Reset(StateKeeper keeper, Provider provider, RemoteLayout layout, Recovery recovery, Safekeeping safekeeping,
          Consumer<Event> listener) {
        this.keeper = keeper;
        this.provider = provider;
        this.layout = layout;
        this.recovery = recovery;
        this.safekeeping = safekeeping;
        this.listener = listener;
    }

    /**
     * Resets every instance of the project that is up, or that {@code starter} brings up.
     *
     * @throws SessionException when a finished run could not be fetched (nothing was cleaned), or an instance could
     *                          not be cleaned
     */
    void reset(Starter starter) {
        List<InstanceRecord> known = keeper.get().instances();
        if (known.isEmpty()) {
            emit(new Event.Step("reset", "no instance yet: nothing to clean"));
            return;
        }
        Map<InstanceRecord, Exception> notStarted = Parallel.each(known, record -> starter.start(record.name()));
        notStarted.forEach((record, e) -> emit(new Event.Warning("reset: cannot start " + record.name()
                + ", its folder is not cleaned: " + e.getMessage())));
        List<InstanceRecord> up = new ArrayList<>();
        for (InstanceRecord record : keeper.get().instances()) {
            if (isUp(record)) {
                up.add(record);
            }
        }
        emit(new Event.Step("reset", "cleaning ~/" + layout.projectRoot() + " on " + up.size() + " instance(s)"));
        Parallel.orThrow("reset", Parallel.each(up, this::stopAgent));
        List<String> left = safekeeping.bringHome("reset");
        if (!left.isEmpty()) {
            throw new SessionException("reset refused: " + left.size() + " finished run(s) could not be fetched, and"
                    + " cleaning their instances would lose their results:\n  " + String.join("\n  ", left)
                    + "\nNothing was cleaned. Run `katapult fetch` once their instances answer, then reset again.");
        }
        Parallel.orThrow("reset", Parallel.each(up, this::clean));
    }

    private void stopAgent(InstanceRecord record) throws IOException {
        try (var shell = provider.shell(record)) {
            shell.exec(layout.on(record.name()).command("agent.sh", "stop"), null, Duration.ofMinutes(2))
                    .orThrow("stopping the agent on " + record.name());
        }
    }

    /** Deletes the remote root; the runs it held go again, and the agent and environments are installed anew. */
    private void clean(InstanceRecord record) throws IOException {
        RemoteLayout own = layout.on(record.name());
        try (var shell = provider.shell(record)) {
            shell.exec("rm -rf -- " + own.removableWords(), null, Duration.ofMinutes(5))
                    .orThrow("removing " + own.projectRootShown() + " on " + record.name());
        }
        recovery.requeueLost(record.name(), "reset: " + own.projectRootShown() + " was cleaned on "
                + record.name());
        keeper.update(s -> s.updateInstance(record.name(), i -> i.withAgent(null).withEnvKeys(List.of())));
        emit(new Event.Step("reset", record.name() + ": removed " + own.projectRootShown()));
    }

    private boolean isUp(InstanceRecord record) {
        try {
            return InstanceState.of(provider.statuses(List.of(record)).get(record.name())) == InstanceState.RUNNING;
        } catch (IOException | RuntimeException e) {
            emit(new Event.Warning("reset: cannot reach " + record.name() + ", its folder is not cleaned: "
                    + e.getMessage()));
            return false;
        }
    }

    private void emit(Event event) {
        listener.accept(event);
    }
}
