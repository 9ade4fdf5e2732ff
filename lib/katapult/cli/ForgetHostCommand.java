package katapult.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import katapult.session.Session;
import katapult.session.SessionException;
import katapult.transport.HostKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "forget-host", mixinStandardHelpOptions = true,
        description = {"Forget the host key Katapult pinned for HOST in this project.",
                "The pins are in .katapult/<project>/known_hosts. Use it after the host was reinstalled or its key legitimately changed: the next connection pins the new key.",
                "HOST is a name or address (every port), or HOST:PORT. Keys in your own ~/.ssh/known_hosts are not",
                "touched: remove those with `ssh-keygen -R HOST`."})
final class ForgetHostCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "HOST", description = "host, host:port or [host]:port")
    String host;

    @Override
    public Integer call() {
        String name = project != null ? project : onlyProject();
        Path file = Session.stateDir(workspace, name).resolve("known_hosts");
        int removed;
        try {
            removed = new HostKeys(file, null).forget(host);
        } catch (IOException e) {
            throw new SessionException("cannot update " + file + ": " + e.getMessage(), e);
        }
        if (removed == 0) {
            console.error("no key of " + host + " is pinned in " + file + " (a key in ~/.ssh/known_hosts is removed"
                    + " with `ssh-keygen -R " + host + "`)");
            return ExitCodes.FAILED;
        }
        console.out().println("forgot " + removed + " key(s) of " + host + " in project " + name
                + "; the next connection pins the key the host offers then");
        return ExitCodes.OK;
    }

    private String onlyProject() {
        List<String> projects = Session.projects(workspace);
        if (projects.size() == 1) {
            return projects.get(0);
        }
        throw new SessionException(projects.isEmpty()
                ? "no Katapult project in " + workspace.toAbsolutePath() + ": nothing to forget"
                : "several projects here (" + String.join(", ", projects) + "): name one with --project");
    }
}
