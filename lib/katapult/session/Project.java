package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import katapult.config.Config;
import katapult.config.KeptNames;
import katapult.dsl.ConfigLoader;
import katapult.state.MaestroMarkers;
import katapult.state.ProjectState;
import katapult.state.StateException;
import katapult.state.StateStore;

/**
 * A project on this machine: its folders under the workspace and its locked state. Opening from a config file,
 * resuming from the saved state and peeking all find the project's folder the same way; opening and resuming then
 * share one path: lock the state, read it, load the config with the job names the project already gave, then every
 * file added since.
 *
 * @param config the config as it is in its files now (additions included)
 * @param keeper the locked state of the project
 */
record Project(Config config, StateKeeper keeper) {

    /** Opens (or resumes) the project of {@code configFile}, with the config as it is in that file now. */
    static Project open(Path workspace, Path configFile) {
        return open(workspace, configFile, false);
    }

    /**
     * {@link #open(Path, Path)}; with {@code handOff}, for handing the session to the remote maestro: a remote
     * maestro config and a hand-off begun are then expected, not refused.
     */
    static Project open(Path workspace, Path configFile, boolean handOff) {
        Config config = ConfigLoader.load(configFile);
        if (!handOff) {
            refuseRemoteMaestro(config);
        }
        String file = configFile.toAbsolutePath().normalize().toString();
        return lockAndLoad(workspace, config.project(), handOff, store -> {
            ProjectState state = config.recover() ? store.load().orElse(null) : setAside(store);
            return state == null ? ProjectState.empty(config.project(), file) : withMainFile(state, file);
        }, (state, kept) -> kept.agreeWith(config.jobs()) ? config : ConfigLoader.load(configFile, kept));
    }

    /** Resumes a project from its saved state; {@code project} may be null when the workspace has exactly one. */
    static Project resume(Path workspace, String project, Consumer<Event> listener) {
        String name = project != null ? project : onlyProject(workspace);
        Project opened = lockAndLoad(workspace, name, false, store -> store.load().orElseThrow(() -> new SessionException(
                        "project '" + name + "' has no state yet: start it with `katapult init CONFIG` or"
                                + " `katapult run CONFIG`")),
                (state, kept) -> ConfigLoader.load(Path.of(state.configFiles().get(0)), kept));
        return new Project(recordedProject(opened.config(), name, listener), opened.keeper());
    }

    /**
     * The one opening path: locks the project's state folder, reads the state with {@code stateOf}, loads the main
     * config with {@code mainConfig} (given the names the project kept), then every addition. The lock is let go
     * when anything fails.
     */
    private static Project lockAndLoad(Path workspace, String name, boolean handOff,
                                       Function<StateStore, ProjectState> stateOf,
                                       BiFunction<ProjectState, KeptNames, Config> mainConfig) {
        StateStore store = StateStore.open(stateDir(workspace, name));
        try {
            if (!handOff) {
                refuseHandedOff(workspace, name);
            }
            ProjectState state = stateOf.apply(store);
            KeptNames kept = new KeptNames(state.jobNames());
            Config config = mainConfig.apply(state, kept);
            for (String added : state.configFiles().subList(1, state.configFiles().size())) {
                config = Additions.load(Path.of(added), config, kept);
            }
            return new Project(config, new StateKeeper(store, state));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The state with {@code file} as its main config file (the project may have been opened from elsewhere). */
    private static ProjectState withMainFile(ProjectState state, String file) {
        if (state.configFiles().get(0).equals(file)) {
            return state;
        }
        List<String> files = new ArrayList<>(state.configFiles());
        files.set(0, file);
        return state.withConfigFiles(files);
    }

    /**
     * A resumed project is the one asked for: a config file that now computes another name (say from an environment
     * variable) must not send its commands, `down` above all, to that other project's state and cloud resources.
     */
    private static Config recordedProject(Config config, String name, Consumer<Event> listener) {
        if (config.project().equals(name)) {
            return config;
        }
        listener.accept(new Event.Warning(config.source() + " now names project '" + config.project()
                + "': working on project '" + name + "', as recorded"));
        return config.withProject(name);
    }

    /** Reads a project's saved state without locking it; {@code project} may be null as for {@link #resume}. */
    static ProjectState peek(Path workspace, String project) {
        String name = project != null ? project : onlyProject(workspace);
        return StateStore.peek(stateDir(workspace, name))
                .orElseThrow(() -> new SessionException("project '" + name + "' has no state yet"));
    }

    /** Projects that have a state folder in this workspace. */
    static List<String> projects(Path workspace) {
        Path dir = workspace.resolve(".katapult");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.exists(p.resolve("state.json")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new StateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String onlyProject(Path workspace) {
        List<String> projects = projects(workspace);
        if (projects.size() == 1) {
            return projects.get(0);
        }
        throw new SessionException(projects.isEmpty()
                ? "no Katapult project in " + workspace.toAbsolutePath() + ": start one with `katapult init CONFIG`"
                : "several projects here (" + String.join(", ", projects) + "): name one with --project");
    }

    /** {@code <workspace>/.katapult/<project>}: the project's state, lock, sandboxes and pinned host keys. */
    static Path stateDir(Path workspace, String project) {
        return workspace.toAbsolutePath().normalize().resolve(".katapult").resolve(project);
    }

    /** {@code <workspace>/results/<project>}: where fetched results land. */
    static Path resultsDir(Path workspace, String project) {
        return workspace.resolve("results").resolve(project);
    }

    private static ProjectState setAside(StateStore store) {
        Path file = store.file();
        if (Files.exists(file)) {
            try {
                long now = Instant.now().getEpochSecond();
                Files.move(file, file.resolveSibling("state.json." + now + ".old"));
                if (Files.exists(store.journalFile())) {
                    Files.move(store.journalFile(), file.resolveSibling("state.journal." + now + ".old"));
                }
            } catch (IOException e) {
                throw new StateException("cannot set aside " + file + " (recover is false): " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** A remote maestro config is driven by the maestro, never by this process unless it is that maestro. */
    private static void refuseRemoteMaestro(Config config) {
        if (config.maestro() == Config.Maestro.REMOTE && !MaestroMarkers.isTheMaestro()) {
            throw new SessionException("project '" + config.project() + "' has maestro 'remote': its session runs on"
                    + " the maestro instance; hand it over with `katapult run " + config.source() + "`, then follow"
                    + " it with `katapult status`, `watch`, `logs`, `wait` and `fetch`");
        }
    }

    /** Once the session was handed to a remote maestro, only that maestro drives it: never two at once. */
    private static void refuseHandedOff(Path workspace, String name) {
        if (MaestroMarkers.isTheMaestro()) {
            return;
        }
        MaestroMarkers.read(stateDir(workspace, name)).ifPresent(marker -> {
            throw new SessionException(marker.handedOff()
                    ? "project '" + name + "' is driven by its remote maestro (since " + marker.since() + "): use"
                    + " `katapult status`, `watch`, `logs`, `wait`, `fetch`, `stop` or `down`, which reach it"
                    : "project '" + name + "' is being handed to its remote maestro (begun " + marker.since()
                    + "): run `katapult run " + marker.configFile() + "` again to finish the hand-off");
        });
    }
}
