package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import katapult.provider.Provider;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.InstanceState;
import katapult.transport.ExecResult;

/**
 * Stopping and removing a project's instances: the agents and their runs first, then every finished run's results
 * (see {@link Safekeeping}), then the machines, then what the provider made for the whole project (cloud: security
 * group, key pair...), reporting anything left behind.
 */
final class Teardown {

    private final StateKeeper keeper;
    private final Provider provider;
    private final RemoteLayout layout;
    private final Recovery recovery;
    private final Safekeeping safekeeping;
    private final Consumer<Event> listener;

    Teardown(StateKeeper keeper, Provider provider, RemoteLayout layout, Recovery recovery, Safekeeping safekeeping,
             Consumer<Event> listener) {
        this.keeper = keeper;
        this.provider = provider;
        this.layout = layout;
        this.recovery = recovery;
        this.safekeeping = safekeeping;
        this.listener = listener;
    }

    /**
     * Stops the agents and their runs on every instance, fetches every finished run it can, then stops the instances
     * (their disks stay, so a result that could not be fetched is still there for a later fetch).
     */
    void stop() {
        List<InstanceRecord> instances = keeper.get().instances().stream()
                .filter(i -> i.state() != InstanceState.STOPPED).toList();
        if (instances.isEmpty()) {
            return;
        }
        emit(new Event.Step("stop", "stopping " + instances.size() + " instance(s)"));
        Parallel.each(instances, this::stopAgent).forEach((record, e) -> emit(new Event.Warning(
                "cannot stop the agent on " + record.name() + ": " + e.getMessage())));
        List<String> left = safekeeping.bringHome("stop");
        if (!left.isEmpty()) {
            emit(new Event.Warning("not fetched yet (kept on the stopped instances for a later fetch):\n  "
                    + String.join("\n  ", left)));
        }
        Parallel.orThrow("stop", Parallel.each(instances, this::stopInstance));
    }

    private void stopAgent(InstanceRecord record) throws IOException {
        if (stateOf(record) != InstanceState.RUNNING) {
            return;
        }
        try (var shell = provider.shell(record)) {
            shell.exec(layout.on(record.name()).command("agent.sh", "stop"), null, Duration.ofMinutes(2))
                    .orThrow("stopping the agent on " + record.name());
        }
    }

    private void stopInstance(InstanceRecord record) throws IOException {
        if (stateOf(record) != InstanceState.RUNNING) {
            keeper.putInstance(record.withState(InstanceState.STOPPED));
            return;
        }
        provider.stop(record);
        keeper.putInstance(record.withState(InstanceState.STOPPED));
        emit(new Event.Step("stop", record.name() + " stopped"));
    }

    /**
     * Stops and removes every instance (the results and the record of finished runs stay); with {@code purge}, also
     * deletes the project's remote root ({@code ~/.katapult/<project>}) on every instance that is still reachable
     * (ssh hosts stay, only that folder goes). Every finished run is fetched first; when one cannot be, nothing is
     * removed ({@link UnfetchedResultsException}), unless {@code discardUnfetched}, which gives those runs up.
     */
    void down(boolean purge, boolean discardUnfetched) {
        List<InstanceRecord> instances = keeper.get().instances();
        Parallel.each(instances, this::stopAgentBeforeRemoval);
        List<String> left = safekeeping.bringHome("down");
        if (!left.isEmpty()) {
            if (!discardUnfetched) {
                throw new UnfetchedResultsException(left);
            }
            safekeeping.discard();
        }
        emit(new Event.Step("down", "removing " + instances.size() + " instance(s)"));
        Parallel.orThrow("down", Parallel.each(instances, record -> {
            if (purge) {
                purgeRemoteRoot(record);
            }
            provider.remove(record);
            recovery.requeueLost(record.name(), "instance " + record.name() + " was removed");
            keeper.update(s -> s.withInstances(s.instances().stream()
                    .filter(i -> !i.name().equals(record.name())).toList()));
            emit(new Event.Step("down", record.name() + " removed"));
        }));
        cleanUpProvider();
    }

    /**
     * Stops the agent and its runs of an instance about to be removed, without stopping the machine first (a cloud
     * instance is terminated right after). One that cannot be reached is removed all the same.
     */
    private void stopAgentBeforeRemoval(InstanceRecord record) {
        try {
            if (stateOf(record) != InstanceState.RUNNING) {
                return;
            }
            try (var shell = provider.shell(record)) {
                shell.exec(layout.on(record.name()).command("agent.sh", "stop"), null, Duration.ofMinutes(2))
                        .orThrow("stopping the agent on " + record.name());
            }
        } catch (IOException | RuntimeException e) {
            emit(new Event.Warning("cannot stop the agent on " + record.name() + " before removing it: "
                    + e.getMessage()));
        }
    }

    /** What the provider made for the whole project (cloud: security group, key pair...), then what is left. */
    private void cleanUpProvider() {
        Provider.CleanUp cleanUp;
        try {
            cleanUp = provider.cleanUp(false, message -> emit(new Event.Step("down", message)));
        } catch (IOException e) {
            throw new SessionException("down: " + e.getMessage(), e);
        }
        cleanUp.deleted().forEach(what -> emit(new Event.Step("down", "deleted " + what)));
        cleanUp.kept().forEach(what -> emit(new Event.Step("down", "kept " + what)));
        cleanUp.left().forEach(what -> emit(new Event.Warning("still there after down: " + what)));
    }

    /** What {@link #down} would remove, without removing anything. */
    List<String> dryRun() {
        List<String> plan = new ArrayList<>();
        keeper.get().instances().forEach(i -> plan.add("instance " + i.name() + " (" + i.provider() + " "
                + i.handle() + ")"));
        try {
            Provider.CleanUp cleanUp = provider.cleanUp(true, message -> { });
            cleanUp.deleted().forEach(what -> {
                if (plan.stream().noneMatch(p -> what.startsWith("instance ") && p.contains(what.split(" ")[1]))) {
                    plan.add(what);
                }
            });
            cleanUp.kept().forEach(what -> plan.add("(kept) " + what));
        } catch (IOException e) {
            throw new SessionException("down --dry-run: " + e.getMessage(), e);
        }
        return plan;
    }

    private void purgeRemoteRoot(InstanceRecord record) throws IOException {
        if (stateOf(record) != InstanceState.RUNNING) {
            return;
        }
        RemoteLayout own = layout.on(record.name());
        ExecResult removed;
        try (var shell = provider.shell(record)) {
            // the whole project folder, every instance's and the uploads: hosts that share this home lose theirs too
            // (down removes them all)
            removed = shell.exec("rm -rf -- " + own.removableWords(), null, Duration.ofMinutes(5));
        } catch (IOException | RuntimeException unreachable) {
            // --purge is for the instances still reachable: a host that is gone must not keep down from removing
            // the others, nor from forgetting it
            emit(new Event.Warning("cannot reach " + record.name() + " to delete " + own.projectRootShown()
                    + " there (it stays): " + unreachable.getMessage()));
            return;
        }
        removed.orThrow("removing " + own.projectRootShown() + " on " + record.name());
        emit(new Event.Step("down", record.name() + ": removed " + own.projectRootShown()));
    }

    private void emit(Event event) {
        listener.accept(event);
    }

    private InstanceState stateOf(InstanceRecord record) throws IOException {
        return InstanceState.of(provider.statuses(List.of(record)).get(record.name()));
    }
}
