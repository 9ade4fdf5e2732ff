package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.remote.RemoteLayout;
import katapult.remote.RemoteScript;
import katapult.remote.RunPayload;
import katapult.state.RunRecord;
import katapult.transport.Shell;

/** Writes runs' folders and queue entries on one instance in one round trip, then wakes its agent. */
final class Submitter {

    private final Plan plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Map<String, String> agentEnvironment;

    Submitter(Plan plan, RemoteLayout layout, StateKeeper keeper, Map<String, String> agentEnvironment) {
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.agentEnvironment = agentEnvironment;
    }

    void submit(Shell shell, List<RunRecord> runs) throws IOException {
        RemoteScript script = new RemoteScript(layout);
        for (RunRecord run : runs) {
            JobPlan job = plan.run(run.uid()).orElseThrow().job();
            script.run(new RunPayload(run.rid(), job.command(), job.env() == null ? null : job.env().key(),
                    job.spec().cpusReq(), job.spec().outputFiles(), job.workHashes()));
        }
        script.startAgent(agentEnvironment);
        shell.exec("bash -s", script.build(), Duration.ofMinutes(5)).orThrow("submitting runs to " + shell.describe());
        keeper.update(s -> {
            var next = s;
            for (RunRecord run : runs) {
                next = next.updateRun(run.uid(), RunRecord::asSubmitted);
            }
            return next;
        });
    }
}
