package katapult.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import katapult.util.Hashes;
import katapult.plan.JobPlan;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.provider.BatchScheduler;
import katapult.remote.RemoteLayout;
import katapult.remote.RemoteScript;
import katapult.remote.RunPayload;
import katapult.remote.Uploads;
import katapult.state.RunRecord;
import katapult.state.RunTransitions;
import katapult.transport.Shell;
import katapult.transport.ShellQuote;

/**
 * Writes runs' folders and queue entries on one instance in one round trip, then wakes its agent, or, on a batch
 * scheduler's login node, submits one job array per job instead. Runs of jobs that waited for others first get those
 * jobs' fetched outputs through the content store; on a login node, the outputs of upstream runs not fetched yet are
 * named instead, and the task takes them from their run folders once Slurm lets it start; the upstream runs not
 * fetched yet are named too, outputs or not, so that the array waits for their tasks.
 */
final class Submitter {

    private final Plan plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Map<String, String> agentEnvironment;
    private final Function<JobPlan, Map<String, Path>> upstreamInputs;
    private final Function<JobPlan, UpstreamOnInstance> upstreamOnInstance;
    private final Optional<BatchScheduler> batch;
    private final Checkpoints checkpoints;
    private final SharedFiles sharedFiles;

    Submitter(Plan plan, RemoteLayout layout, StateKeeper keeper, Map<String, String> agentEnvironment,
              Function<JobPlan, Map<String, Path>> upstreamInputs,
              Function<JobPlan, UpstreamOnInstance> upstreamOnInstance, Optional<BatchScheduler> batch,
              Checkpoints checkpoints) {
        this.upstreamOnInstance = upstreamOnInstance;
        this.checkpoints = checkpoints;
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.agentEnvironment = agentEnvironment;
        this.upstreamInputs = upstreamInputs;
        this.batch = batch;
        this.sharedFiles = new SharedFiles(plan.config().mutualizeUploads());
    }

    void submit(Shell shell, List<RunRecord> runs) throws IOException {
        RemoteScript script = new RemoteScript(layout.on(runs.get(0).instance()));
        Map<String, Path> uploads = new LinkedHashMap<>();
        Map<String, Boolean> smallBySha = new HashMap<>();
        for (RunRecord run : runs) {
            RunPlan planned = plan.run(run.uid()).orElseThrow();
            JobPlan job = planned.job();
            Map<String, String> work = new LinkedHashMap<>(job.workHashes());
            Map<String, Path> upstream = upstreamInputs.apply(job);
            Set<String> shared = new LinkedHashSet<>(sharedFiles.of(job, upstream));
            upstream.forEach((name, path) -> {
                String sha = Hashes.ofFile(path);
                uploads.put(sha, path);
                work.put(name, sha);
            });
            String command = resumed(run, job, work, uploads, planned.command());
            // a checkpoint the run resumes from is rewritten by it: always its own copy
            shared.removeAll(job.spec().checkpointFiles());
            Set<String> copiedNow = new LinkedHashSet<>();
            work.forEach((name, sha) -> {
                Path local = job.workFiles().getOrDefault(name, uploads.get(sha));
                if (!shared.contains(name) && smallBySha.computeIfAbsent(sha, k -> small(local))) {
                    copiedNow.add(name);
                }
            });
            script.run(new RunPayload(run.rid(), command, job.env() == null ? null : job.env().key(),
                    job.spec().cpusReq(), job.spec().outputFiles(), work, shared, copiedNow));
            UpstreamOnInstance pending = upstreamOnInstance.apply(job);
            if (!pending.inputs().isEmpty()) {
                script.upstream(run.rid(), pending.inputs());
            }
            if (!pending.awaited().isEmpty()) {
                script.awaits(run.rid(), pending.awaited());
            }
        }
        Uploads.send(shell, layout.on(runs.get(0).instance()), uploads);
        if (batch.isPresent()) {
            var spec = plan.instance(runs.get(0).instance()).orElseThrow().spec();
            for (BatchArrays.Submission s : BatchArrays.of(layout.project(), plan, runs)) {
                script.submitArray(s.array().name(), batch.get().arrayOptions(spec, s.array()), s.rids());
            }
        } else {
            script.startAgent(agentEnvironment);
        }
        shell.exec("bash -s", script.build(), Duration.ofMinutes(5)).orThrow("submitting runs to " + shell.describe());
        var uids = runs.stream().map(RunRecord::uid).collect(Collectors.toSet());
        keeper.update(s -> s.updateRuns(uids, r -> RunTransitions.apply(r, new RunTransitions.Submitted())));
    }

    /** Whether a private copy of {@code local} is made when its run is written ({@link RunPayload#COPY_NOW_BELOW}). */
    private static boolean small(Path local) {
        try {
            return local != null && Files.size(local) < RunPayload.COPY_NOW_BELOW;
        } catch (IOException e) {
            return false;   // (sent already, or the upload step has said why not: the copy is then made at start)
        }
    }

    /**
     * The command of a run of a job with checkpoint files: when Katapult holds a checkpoint of the run (a spot
     * interruption took an earlier attempt away), it goes into the working folder (through the content store) and
     * the command exports {@code KATAPULT_RESUMED=1} first; a run preempted before without one says on stderr that
     * it starts clean. Either way the run's stderr log tells which.
     */
    private String resumed(RunRecord run, JobPlan job, Map<String, String> work, Map<String, Path> uploads,
                           String command) {
        var files = job.spec().checkpointFiles();
        Map<String, Path> held = files.isEmpty() ? Map.of() : checkpoints.held(run.uid(), files);
        if (held.isEmpty() && (files.isEmpty() || run.preemptions() == 0)) {
            return command;
        }
        if (held.isEmpty()) {
            return "echo " + ShellQuote.quote("katapult: no checkpoint of the preempted attempt could be kept;"
                    + " this attempt starts clean") + " >&2\n" + command;
        }
        held.forEach((name, path) -> {
            String sha = Hashes.ofFile(path);
            uploads.put(sha, path);
            work.put(name, sha);
        });
        return "export KATAPULT_RESUMED=1\necho " + ShellQuote.quote("katapult: resumed from the checkpoint of the"
                + " preempted attempt (" + String.join(", ", held.keySet()) + ")") + " >&2\n" + command;
    }
}
