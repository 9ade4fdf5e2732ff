package katapult.cli;

import katapult.session.RunView;
import katapult.session.Session;
import katapult.state.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show a run's stdout and stderr. Without RUN, show the stderr of every ABORTED run.",
                "RUN is JOB/REPEAT (e.g. train/2), a job with one repeat, or a run id from `status`."})
final class LogsCommand extends KatapultSubcommand {

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "The run to show.")
    String run;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the run finishes.")
    boolean follow;

    @Option(names = "--stderr", description = "Only stderr.")
    boolean onlyStderr;

    @Option(names = "--stdout", description = "Only stdout.")
    boolean onlyStdout;

    @Override
    public Integer call() throws InterruptedException {
        try (Session session = resume()) {
            session.refresh();
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
            return ExitCodes.OK;
        }
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
}
