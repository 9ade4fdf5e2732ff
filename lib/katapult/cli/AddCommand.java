package katapult.cli;

import java.nio.file.Path;

import katapult.session.Session;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", aliases = {"cfg_add_jobs", "cfg_add_config"}, mixinStandardHelpOptions = true,
        description = {"Add the jobs (and environments or instances) of another config file to the project.",
                "Like cfg_add_jobs / cfg_add_config of the Python Katapult. They run with the next run, submit or wait."})
final class AddCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "FILE", description = "A config file holding the jobs to add.")
    Path file;

    @Option(names = "--json", description = "Print the outcome as JSON on stdout (shape: see README); progress stays on"
            + " stderr.")
    boolean json;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            int before = session.plan().runs().size();
            session.add(file);
            session.assign();
            if (json) {
                Json.print(Reports.planned(session.project(), session.plan().instances().size(),
                        session.plan().jobs().size(), session.plan().runs().size(),
                        session.plan().runs().size() - before), console.out());
                return ExitCodes.OK;
            }
            console.out().println("added " + (session.plan().runs().size() - before) + " run(s) to project "
                    + session.project() + " (" + session.plan().runs().size() + " in all)");
            return ExitCodes.OK;
        }
    }
}
