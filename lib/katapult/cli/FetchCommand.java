package katapult.cli;

import java.nio.file.Path;
import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fetch", aliases = "fetch_results", mixinStandardHelpOptions = true,
        description = {"Fetch the outputs and logs of finished runs into results/<project>/<job>/<repeat>/.",
                "With DIR, it also copies every finished run's results into DIR/<job>/<repeat>/."})
final class FetchCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Also copy the results here.")
    Path into;

    @Option(names = "--json", description = "Print the outcome as JSON on stdout (shape: see README); progress stays on"
            + " stderr.")
    boolean json;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            if (into != null) {
                throw new SessionException("fetch DIR is not available for a session driven by the remote maestro:"
                        + " its results come into results/<project>/");
            }
            try (MaestroLink link = maestro.get()) {
                var fetched = new MaestroCommands(link, json ? console.err() : console.out()).fetch();
                Path folder = workspace.resolve("results").resolve(link.project());
                if (json) {
                    Json.print(Reports.fetched(link.project(), folder, null, null, null, fetched.copied(),
                            fetched.present()), console.out());
                    return ExitCodes.OK;
                }
                console.out().println(fetched.copied() + " file(s) fetched from the maestro, " + fetched.present()
                        + " already here, into " + workspace.resolve("results").resolve(link.project()));
                return ExitCodes.OK;
            }
        }
        try (Session session = resume()) {
            session.refresh();
            session.fetchFinished(into);
            long fetched = session.runs().stream().filter(r -> r.run().fetched()).count();
            if (json) {
                Json.print(Reports.fetched(session.project(), session.resultsFolder(), into, fetched,
                        session.runs().size(), null, null), console.out());
                return ExitCodes.OK;
            }
            console.out().println(fetched + " of " + session.runs().size() + " run(s) fetched into "
                    + (into != null ? into : session.resultsFolder()));
            return ExitCodes.OK;
        }
    }
}
