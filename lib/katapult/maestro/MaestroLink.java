package katapult.maestro;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.config.Config;
import katapult.dsl.ConfigLoader;
import katapult.provider.InstanceStatus;
import katapult.cost.Spend;
import katapult.provider.MaestroHost;
import katapult.provider.MaestroHosting;
import katapult.provider.Provider;
import katapult.providers.ProviderFactory;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.state.MaestroMarker;
import katapult.state.MaestroMarkers;
import katapult.transport.ExecResult;
import katapult.transport.Shell;

/**
 * This machine's line to a project's remote maestro, for the commands that follow a handed-off session: which
 * instance it is (from the marker, found again through the provider), whether its Katapult still runs, a Katapult
 * command run there, its results and its state brought here.
 */
public final class MaestroLink implements AutoCloseable {

    private final Path workspace;
    private final MaestroMarker marker;
    private final Provider provider;
    private final MaestroHosting hosting;
    private final MaestroFolder folder;
    private final Consumer<String> progress;

    private MaestroLink(Path workspace, MaestroMarker marker, Config config, Provider provider,
                        Consumer<String> progress) {
        this.workspace = workspace;
        this.marker = marker;
        this.provider = provider;
        this.hosting = provider.maestroHosting().orElseThrow(() -> new SessionException("project '"
                + config.project() + "' was handed to a remote maestro, but its '" + provider.kind()
                + "' provider cannot reach one"));
        this.folder = new MaestroFolder(config.project());
        this.progress = progress;
    }

    /** The line to the project's maestro when its session was handed off (or a hand-off began); else empty. */
    public static Optional<MaestroLink> open(Path workspace, String project, ProviderFactory providers,
                                             Consumer<String> progress) {
        if (MaestroMarkers.isTheMaestro()) {
            return Optional.empty();
        }
        Path ws = workspace.toAbsolutePath().normalize();
        String name = project != null ? project : onlyProject(ws);
        if (name == null) {
            return Optional.empty();
        }
        Path stateDir = Session.stateDir(ws, name);
        Optional<MaestroMarker> marker = MaestroMarkers.read(stateDir);
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        Config config = ConfigLoader.load(Path.of(marker.get().configFile())).withProject(name);
        Provider provider = providers.create(config, stateDir);
        try {
            return Optional.of(new MaestroLink(ws, marker.get(), config, provider, progress));
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
    }

    private static String onlyProject(Path workspace) {
        List<String> projects = Session.projects(workspace);
        return projects.size() == 1 ? projects.get(0) : null;
    }

    public MaestroMarker marker() {
        return marker;
    }

    public String project() {
        return folder.project();
    }

    Path workspace() {
        return workspace;
    }

    MaestroFolder folder() {
        return folder;
    }

    Consumer<String> progress() {
        return progress;
    }

    /** The maestro when it is running now; empty when it is stopped or gone (nothing is started). */
    Optional<MaestroHost> running() throws IOException {
        return hosting.find().filter(h -> InstanceStatus.RUNNING.equals(h.instance().status()));
    }

    /** What the maestro instance itself has cost (its workers' spend is the maestro's Katapult's to tell). */
    Optional<Spend> spend() throws IOException {
        return hosting.spend();
    }

    /** The maestro, started when it was stopped (a wait or fetch needs its disk). */
    MaestroHost started() throws IOException {
        return hosting.ensure(progress);
    }

    /** The maestro when it exists at all, running or not. */
    Optional<MaestroHost> found() throws IOException {
        return hosting.find();
    }

    Shell shell(MaestroHost host) throws IOException {
        return provider.shell(host.instance());
    }

    /** Whether Katapult runs on the maestro ("running"), ended ("ended CODE") or never started ("never"). */
    String katapultState(Shell shell) throws IOException {
        return shell.exec(folder.call("state"), null, Duration.ofMinutes(1)).orThrow("asking the maestro")
                .stdout().strip();
    }

    /** Runs {@code katapult ARGS} in the maestro's workspace; its output as it printed it. */
    ExecResult katapult(Shell shell, List<String> args) throws IOException {
        List<String> words = new ArrayList<>(args);
        return shell.exec(folder.call("katapult", words.toArray(String[]::new)), null, Duration.ofHours(2));
    }

    /** Ends Katapult on the maestro (it stops driving the workers; their runs go on). */
    void halt(Shell shell) throws IOException {
        shell.exec(folder.call("halt"), null, Duration.ofMinutes(1)).orThrow("ending Katapult on the maestro");
    }

    /** Stops the maestro's machine; its disk, and the results on it, stay. */
    void stopMachine(MaestroHost host) throws IOException {
        provider.stop(host.instance());
    }

    /** Removes the maestro and its rights, then forgets the hand-off: the project is this machine's again. */
    List<String> remove() throws IOException {
        List<String> removed = new ArrayList<>(hosting.remove(progress));
        // what the maestro ran on (security group, key pair, network) goes once the maestro is gone
        Provider.CleanUp rest = provider.cleanUp(false, progress);
        removed.addAll(rest.deleted());
        rest.left().forEach(what -> progress.accept("still there after down: " + what));
        MaestroMarkers.clear(Session.stateDir(workspace, folder.project()));
        return removed;
    }

    @Override
    public void close() {
        provider.close();
    }
}
