package katapult.cli;

import java.nio.file.Path;

import katapult.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "add", aliases = {"cfg_add_jobs", "cfg_add_config"}, mixinStandardHelpOptions = true,
        description = {"Add the jobs (and environments or instances) of another config file to the project,",
                "like cfg_add_jobs / cfg_add_config of the Python Katapult. They run with the next run, submit or wait."})
final class AddCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "FILE", description = "A config file holding the jobs to add.")
    Path file;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            int before = session.plan().runs().size();
            session.add(file);
            session.assign();
            console.out().println("added " + (session.plan().runs().size() - before) + " run(s) to project "
                    + session.project() + " (" + session.plan().runs().size() + " in all)");
            return ExitCodes.OK;
        }
    }
}
