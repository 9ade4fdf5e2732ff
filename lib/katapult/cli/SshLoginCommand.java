package katapult.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import katapult.session.SessionException;
import katapult.state.InstanceRecord;
import katapult.transport.Shell;
import katapult.transport.SshAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ssh", mixinStandardHelpOptions = true,
        description = {"Open a shell on INSTANCE (or run CMD there) with OpenSSH's ssh, as Katapult reaches it.",
                "It uses the project's key, user and port, and the host key Katapult pinned (checked strictly, never skipped).",
                "With the local provider: a shell (or CMD) in the instance's sandbox folder, its HOME.",
                "Exits with the shell's (or CMD's) exit code."})
final class SshLoginCommand extends KatapultSubcommand {

    /** OpenSSH's client; a test points it elsewhere with the system property. */
    static final String SSH = System.getProperty("katapult.ssh", "ssh");

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "an instance of the project (see `status`)")
    String instance;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "a command to run there (after --), else a shell")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        try (ProjectInstances project = ProjectInstances.open(workspace, this.project, sessions.providers())) {
            InstanceRecord record = project.named(instance);
            Optional<SshAccess> access = project.provider().sshAccess(record);
            if (access.isEmpty()) {
                return sandboxShell(record);
            }
            // a first contact pins the host key through Katapult's own checks; ssh then only checks the pin
            try (Shell ignored = project.provider().shell(record)) {
                console.progress("reaching " + record.name() + " (" + access.get().target() + ")");
            }
            return run(access.get().sshCommand(SSH, command), null);
        }
    }

    /** The local provider's instance is a folder: a shell there, with it as HOME as its runs have. */
    private int sandboxShell(InstanceRecord record) throws IOException, InterruptedException {
        Path home = Path.of(record.handle());
        if (!"local".equals(record.provider())) {
            throw new SessionException("instance " + record.name() + " (" + record.provider()
                    + ") is not reached over SSH");
        }
        if (!home.toFile().isDirectory()) {
            throw new SessionException("the sandbox of " + record.name() + " is gone (" + home + ")");
        }
        List<String> line = command.isEmpty() ? List.of("bash", "-i") : List.of("bash", "-c", String.join(" ", command));
        return run(line, home);
    }

    private static int run(List<String> line, Path home) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(line).inheritIO();
        if (home != null) {
            builder.directory(home.toFile());
            builder.environment().put("HOME", home.toString());
        }
        return builder.start().waitFor();
    }
}
