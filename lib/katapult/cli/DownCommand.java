package katapult.cli;

import java.util.List;
import java.util.Optional;

import katapult.cost.Money;
import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.Session;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true, description = {"Stop and remove every instance of the project. Results and the record of finished runs stay.",
        "Every finished run is fetched first. When one cannot be (its instance does not answer, its disk is full"
                + " here), nothing is removed and the runs are named: fetch them later, or pass --discard-unfetched.",
        "With aws: terminates the instances, waits until they are gone, deletes the security group, key pair and any"
                + " role or VPC Katapult made, then reports whatever still carries the project's tag."})
final class DownCommand extends KatapultSubcommand {

    @Option(names = "--dry-run", description = "List what would be removed, and remove nothing.")
    boolean dryRun;

    @Option(names = "--purge", description = "Also delete the project's folder ~/.katapult/<project> on every instance"
            + " (ssh hosts themselves are never touched: only that folder goes).")
    boolean purge;

    @Option(names = "--discard-unfetched", description = "Remove the instances even when finished runs could not be"
            + " fetched: those runs are marked ABORTED (their results are lost) and never run again.")
    boolean discardUnfetched;

    @Option(names = "--json", description = "Print the outcome as JSON on stdout (shape: see README); progress stays on"
            + " stderr.")
    boolean json;

    @Override
    public Integer call() {
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent() && !dryRun) {
            try (MaestroLink link = maestro.get()) {
                MaestroCommands commands = new MaestroCommands(link, json ? console.err() : console.out());
                List<String> removed = commands.down(purge, discardUnfetched);
                if (json) {
                    Json.print(Reports.down(link.project(), false, removed, null), console.out());
                } else {
                    removed.forEach(what -> console.out().println("removed " + what));
                    commands.maestroSpend().ifPresent(spend -> console.out().println("the maestro instance cost "
                            + Money.dollars(spend.dollars()) + " in instance time (its workers' cost is above)"));
                }
                return ExitCodes.OK;
            }
        }
        try (Session session = resume()) {
            if (dryRun) {
                var plan = session.downDryRun();
                if (json) {
                    Json.print(Reports.down(session.project(), true, plan, null), console.out());
                    return ExitCodes.OK;
                }
                console.out().println(plan.isEmpty() ? "nothing to remove" : "would remove:");
                plan.forEach(what -> console.out().println("  " + what));
                return ExitCodes.OK;
            }
            List<String> before = session.status().instances().stream()
                    .map(i -> "instance " + i.name() + " (" + i.provider() + " " + i.handle() + ")").toList();
            session.down(purge, discardUnfetched);
            if (json) {
                Json.print(Reports.down(session.project(), false, before, session.cost().orElse(null)),
                        console.out());
                return ExitCodes.OK;
            }
            session.cost().ifPresent(cost -> console.out().println("the project cost "
                    + Money.dollars(cost.spend().dollars()) + " in instance time"
                    + (cost.spend().unknown().isEmpty() ? "" : ", plus instances at an unknown price: "
                    + String.join(", ", cost.spend().unknown()))));
            return ExitCodes.OK;
        }
    }
}
