package katapult.cli;

import katapult.session.Retried;
import katapult.session.Session;
import katapult.state.RunRecord;
import katapult.terminal.Json;
import katapult.terminal.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Put ABORTED runs back in the queue, each as a new attempt.",
                "Each gets its whole budget of losses, retries and preemptions again; DONE runs are never touched. Runs ABORTED only because a run they",
                "wait for (after) was ABORTED go with it. The next run, wait or submit runs them."})
final class RetryCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "JOB", description = "Only the runs of this job.")
    String job;

    @Option(names = "--failed", description = {"Only the runs whose attempt failed by its own doing: a non-zero exit,",
            "a signal, or an output it did not produce. Not the runs stopped, lost or preempted too often, abandoned",
            "(their instance could not be made) or whose results were given up."})
    boolean failed;

    @Option(names = "--json", description = "Print what was re-queued as JSON (shape: see README).")
    boolean json;

    @Override
    public Integer call() {
        try (Session session = resume()) {
            Retried retried = session.retry(failed, job);
            if (json) {
                Json.print(Reports.retried(session.project(), failed, job, retried), console.out());
                return ExitCodes.OK;
            }
            for (RunRecord run : retried.requeued()) {
                console.out().println("re-queued " + run.job() + "/" + run.repeat() + " (attempt " + run.attempt()
                        + ")");
            }
            for (RunRecord run : retried.unfetched()) {
                console.out().println("left " + run.job() + "/" + run.repeat() + " ABORTED: its last attempt could"
                        + " not be fetched from " + run.instance() + " yet (`katapult fetch`, then retry again)");
            }
            console.out().println(retried.requeued().isEmpty() ? "nothing to retry in project " + session.project()
                    : retried.requeued().size() + " run(s) re-queued in project " + session.project()
                    + ": `katapult wait` (or run) runs them");
            return ExitCodes.OK;
        }
    }
}
