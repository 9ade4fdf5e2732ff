package katapult.cli;

import java.io.IOException;
import java.util.Optional;

import katapult.state.InstanceRecord;
import katapult.transport.SshAccess;
import picocli.CommandLine.Command;

@Command(name = "ssh-config", mixinStandardHelpOptions = true,
        description = {"Print an OpenSSH config block per instance of the project (Host <project>-<instance>).",
                "With it, `ssh <project>-<instance>`, scp, rsync and editors' remote modes reach it as Katapult does.",
                "Save it and include it from ~/.ssh/config:  Include ~/.ssh/katapult-<project>.conf",
                "Host keys are checked strictly against Katapult's pins: an instance never reached yet has none",
                "(`katapult ssh INSTANCE` pins it). Local sandboxes get a comment: they are not reached over SSH."})
final class SshConfigCommand extends KatapultSubcommand {

    @Override
    public Integer call() throws IOException {
        try (ProjectInstances project = ProjectInstances.open(workspace, this.project, sessions.providers())) {
            StringBuilder out = new StringBuilder("# Katapult project " + project.project() + "\n");
            for (InstanceRecord record : project.instances()) {
                out.append('\n').append(block(project, record));
            }
            console.out().print(out);
            console.out().flush();
            return ExitCodes.OK;
        }
    }

    private static String block(ProjectInstances project, InstanceRecord record) {
        String alias = project.project() + "-" + record.name();
        try {
            Optional<SshAccess> access = project.provider().sshAccess(record);
            return access.map(a -> a.configBlock(alias)).orElse("# " + alias + ": a " + record.provider()
                    + " sandbox, not reached over SSH (`katapult ssh " + record.name() + "` opens a shell in it)\n");
        } catch (IOException e) {
            return "# " + alias + ": " + e.getMessage() + "\n";
        }
    }
}
