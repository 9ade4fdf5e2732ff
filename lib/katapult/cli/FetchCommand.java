package katapult.cli;

import java.nio.file.Path;

import katapult.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "fetch", aliases = "fetch_results", mixinStandardHelpOptions = true,
        description = {"Fetch the outputs and logs of finished runs into results/<project>/<job>/<repeat>/,",
                "and, with DIR, copy every finished run's results into DIR/<job>/<repeat>/ as well."})
final class FetchCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Also copy the results here.")
    Path into;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            session.refresh();
            session.fetchFinished(into);
            long fetched = session.runs().stream().filter(r -> r.run().fetched()).count();
            console.out().println(fetched + " of " + session.runs().size() + " run(s) fetched into "
                    + (into != null ? into : session.resultsFolder()));
            return ExitCodes.OK;
        }
    }
}
