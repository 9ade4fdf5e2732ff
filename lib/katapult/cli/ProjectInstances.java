package katapult.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import katapult.config.Config;
import katapult.dsl.ConfigLoader;
import katapult.provider.Provider;
import katapult.providers.ProviderFactory;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.StateStore;

/**
 * A project's instances and its provider, read from the saved state without locking it: `ssh` and `ssh-config` reach
 * instances while another Katapult drives the session.
 */
record ProjectInstances(String project, List<InstanceRecord> instances, Provider provider) implements AutoCloseable {

    static ProjectInstances open(Path workspace, String project, ProviderFactory providers) {
        Path ws = workspace.toAbsolutePath().normalize();
        String name = project != null ? project : onlyProject(ws);
        Path stateDir = Session.stateDir(ws, name);
        ProjectState state = StateStore.peek(stateDir).orElseThrow(() -> new SessionException("project '" + name
                + "' has no state yet in " + ws + ": its instances are made by `katapult run` or `start`"));
        Config config = ConfigLoader.load(Path.of(state.configFiles().get(0))).withProject(name);
        return new ProjectInstances(name, state.instances(), providers.create(config, stateDir));
    }

    /** The instance named {@code name}, or an error listing the project's instances. */
    InstanceRecord named(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new SessionException("no instance '" + name + "' in project '" + project + "'"
                        + (instances.isEmpty() ? " (it has none yet)" : "; its instances: "
                        + instances.stream().map(InstanceRecord::name).collect(Collectors.joining(", ")))));
    }

    private static String onlyProject(Path workspace) {
        List<String> projects = Session.projects(workspace);
        if (projects.size() == 1) {
            return projects.get(0);
        }
        throw new SessionException(projects.isEmpty()
                ? "no Katapult project in " + workspace + ": start one with `katapult run CONFIG`"
                : "several projects here (" + String.join(", ", projects) + "): name one with --project");
    }

    @Override
    public void close() {
        provider.close();
    }
}
