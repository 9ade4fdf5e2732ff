package katapult.session;

import java.nio.file.Path;

import katapult.config.Config;
import katapult.state.ProjectState;

/**
 * A project opened on this machine only to hand its session to the remote maestro: locked like any session (so two
 * hand-offs never race), its state saved, its config loaded with every addition, and nothing driven from here.
 */
public final class HandOffProject implements AutoCloseable {

    private final Project project;
    private final Path stateDir;

    private HandOffProject(Project project, Path stateDir) {
        this.project = project;
        this.stateDir = stateDir;
    }

    public static HandOffProject open(Path workspace, Path configFile) {
        Project project = Project.open(workspace, configFile, true);
        return new HandOffProject(project, Project.stateDir(workspace, project.config().project()));
    }

    /** The config as it is in its files now, additions included. */
    public Config config() {
        return project.config();
    }

    /** The state as saved, which the maestro starts from. */
    public ProjectState state() {
        return project.keeper().get();
    }

    /** {@code <workspace>/.katapult/<project>}. */
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() {
        project.keeper().close();
    }
}
