package katapult.cli;

import java.nio.file.Path;
import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.session.SessionException;
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
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            if (into != null) {
                throw new SessionException("fetch DIR is not available for a session driven by the remote maestro:"
                        + " its results come into results/<project>/");
            }
            try (MaestroLink link = maestro.get()) {
                var fetched = new MaestroCommands(link, console.out()).fetch();
                console.out().println(fetched.copied() + " file(s) fetched from the maestro, " + fetched.present()
                        + " already here, into " + workspace.resolve("results").resolve(link.project()));
                return ExitCodes.OK;
            }
        }
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
