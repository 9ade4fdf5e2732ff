package katapult.cli;

import java.nio.file.Path;

import katapult.session.Session;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create (or update) the project of a config and place its runs on instances.",
                "Nothing is started. Then: start, deploy, submit, wait, fetch — or `run` for all of them."})
final class InitCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "CONFIG",
            description = "The config file: Groovy, or a .py file in Python's dict syntax.")
    Path config;

    @Option(names = "--json", description = "Print the outcome as JSON on stdout (shape: see README); progress stays on"
            + " stderr.")
    boolean json;

    @Override
    public Integer call() {
        try (Session session = open(config)) {
            session.assign();
            if (json) {
                Json.print(Reports.planned(session.project(), session.plan().instances().size(),
                        session.plan().jobs().size(), session.plan().runs().size(), null), console.out());
                return ExitCodes.OK;
            }
            console.out().println("project " + session.project() + ": " + session.plan().instances().size()
                    + " instance(s), " + session.plan().jobs().size() + " job(s), " + session.plan().runs().size()
                    + " run(s) planned");
            return ExitCodes.OK;
        }
    }
}
