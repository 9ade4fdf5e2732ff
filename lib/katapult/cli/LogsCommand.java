package katapult.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import katapult.maestro.MaestroCommands;
import katapult.maestro.MaestroLink;
import katapult.session.RunView;
import katapult.cost.Money;
import katapult.session.Session;
import katapult.state.RunRecord;
import katapult.terminal.Json;
import katapult.terminal.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show a run's stdout and stderr. Without RUN, show the stderr of every ABORTED run.",
                "RUN is JOB/REPEAT (e.g. train/2), a job with one repeat, or a run id from `status`."})
final class LogsCommand extends KatapultSubcommand {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "The run to show.")
    String run;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the run finishes.")
    boolean follow;

    @Option(names = "--stderr", description = "Only stderr.")
    boolean onlyStderr;

    @Option(names = "--stdout", description = "Only stdout.")
    boolean onlyStdout;

    @Option(names = "--json", description = "Print the logs as JSON (shape: see README).")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (json && follow) {
            throw new ParameterException(spec.commandLine(), "--json cannot be used with --follow");
        }
        Optional<MaestroLink> maestro = maestro();
        if (maestro.isPresent()) {
            try (MaestroLink link = maestro.get()) {
                return new MaestroCommands(link, console.out()).logs(remoteArgs(), follow) == 0 ? ExitCodes.OK
                        : ExitCodes.FAILED;
            }
        }
        try (Session session = resume()) {
            session.refresh();
            if (json) {
                Json.print(run == null ? Json.abortedLogs(session.status())
                        : Json.logs(session, session.findRun(run), !onlyStdout, !onlyStderr), console.out());
                return ExitCodes.OK;
            }
            if (run == null) {
                Tables.abortedLogs(session.status(), console.out());
                return ExitCodes.OK;
            }
            RunRecord record = session.findRun(run);
            if (follow) {
                return follow(session, record);
            }
            if (!onlyStderr) {
                print("stdout", session.log(record.uid(), false));
            }
            if (!onlyStdout) {
                print("stderr", session.log(record.uid(), true));
            }
            console.progress(attempts(record));
            session.cost().map(c -> c.run(record.uid())).ifPresent(share ->
                    console.progress("cost of this run: " + Money.dollars(share) + " (its share of its instance)"));
            return ExitCodes.OK;
        }
    }

    /** The run's counters, on stderr after its logs. */
    static String attempts(RunRecord run) {
        return "run " + run.rid() + ": attempt " + run.attempt() + " (" + run.retries() + " of them retries after a"
                + " failure), " + run.preemptions() + " preemption(s), " + run.halts() + " halt(s) by max_cost";
    }

    private void print(String label, String text) {
        if (!onlyStderr && !onlyStdout) {
            console.out().println("--- " + label);
        }
        console.out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
    }

    private int follow(Session session, RunRecord record) throws InterruptedException {
        boolean stderr = onlyStderr;
        int shown = 0;
        while (true) {
            String text = session.log(record.uid(), stderr);
            if (text.length() > shown) {
                console.out().print(text.substring(shown));
                console.out().flush();
                shown = text.length();
            }
            RunView now = session.runs().stream().filter(r -> r.run().uid().equals(record.uid())).findFirst()
                    .orElseThrow();
            if (now.state().finished()) {
                return ExitCodes.OK;
            }
            Thread.sleep(1000);
            session.refresh();
        }
    }

    /** This command as the maestro runs it (without --follow: the laptop follows by asking again). */
    private List<String> remoteArgs() {
        List<String> args = new ArrayList<>(List.of("logs"));
        if (run != null) {
            args.add(run);
        }
        if (onlyStderr) {
            args.add("--stderr");
        }
        if (onlyStdout) {
            args.add("--stdout");
        }
        if (json) {
            args.add("--json");
        }
        return args;
    }
}
