package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import katapult.config.JobSpec;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.provider.Provider;
import katapult.remote.PollReport;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.state.InstanceState;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunTransitions;
import katapult.state.RunState;
import katapult.state.SpotNotice;
import katapult.transport.Shell;

/**
 * Reads every instance that has unfinished runs with one exec each and folds the answers into the state: new run
 * states, lost runs re-queued, runs of unreachable instances UNKNOWN, failed environments reported once.
 */
final class Poller {

    private final Supplier<Plan> plan;
    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Consumer<Event> listener;
    private final Set<String> reportedEnvFailures = ConcurrentHashMap.newKeySet();
    private final InstanceTroubles troubles;
    private final AtomicLong roundTrips = new AtomicLong();
    private final Checkpoints checkpoints;

    Poller(Supplier<Plan> plan, RemoteLayout layout, StateKeeper keeper, Provider provider, Consumer<Event> listener,
           InstanceTroubles troubles, Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.plan = plan;
        this.layout = layout;
        this.keeper = keeper;
        this.provider = provider;
        this.listener = listener;
        this.troubles = troubles;
    }

    /**
     * @param instanceDown told (instance, provider status) when an instance cannot be reached and is not running
     * @return whether any run changed
     */
    boolean pollAll(BiConsumer<String, InstanceState> instanceDown) {
        Map<String, List<RunRecord>> watched = watchedRuns();
        Map<String, Boolean> changed = new ConcurrentHashMap<>();
        Map<String, Exception> failures = Parallel.each(watched.keySet(), name -> {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            PollReport report;
            try (var shell = provider.shell(record)) {
                roundTrips.incrementAndGet();
                // only the runs still going in the session's view: a poll costs what is going on, not every run made
                String wanted = watched.get(name).stream().map(r -> r.rid() + "\n").collect(Collectors.joining());
                report = PollReport.parse(shell.exec(layout.on(name).command("poll.sh", "-"), wanted, Duration.ofMinutes(1))
                        .orThrow("polling " + name).stdout());
                reportEnvFailures(name, report, shell);
                fetchCheckpoints(name, watched.get(name), report, shell);
            }
            if (!report.garbled().isEmpty()) {
                listener.accept(new Event.Warning(name + " answered " + report.garbled().size()
                        + " line(s) outside the protocol, ignored: " + report.garbled().get(0)));
            }
            changed.put(name, apply(watched.get(name), report));
            if (troubles.cleared(name)) {
                listener.accept(new Event.Step("wait", name + " answers again"));
            }
        });
        for (Map.Entry<String, Exception> failure : failures.entrySet()) {
            String name = failure.getKey();
            changed.put(name, markUnknown(watched.get(name)));
            InstanceState status = stateOf(name);
            String message = "cannot reach " + name + " (" + status.word() + "): "
                    + failure.getValue().getMessage() + "; its runs are UNKNOWN until it answers";
            // an instance still running that fails as before is no news; one that went down always is
            if (!troubles.report(name, failure.getValue(), message) && status != InstanceState.RUNNING) {
                listener.accept(new Event.Warning(message));
            }
            if (status != InstanceState.RUNNING) {
                instanceDown.accept(name, status);
            }
        }
        return changed.containsValue(true);
    }

    /** Poll execs so far. */
    long roundTrips() {
        return roundTrips.get();
    }

    private InstanceState stateOf(String name) {
        try {
            InstanceRecord record = keeper.get().instance(name).orElseThrow();
            return InstanceState.of(provider.statuses(List.of(record)).get(name));
        } catch (IOException | RuntimeException e) {
            return InstanceState.UNREACHABLE;
        }
    }

    /** Submitted, unfinished runs of the current plan, by instance. */
    private Map<String, List<RunRecord>> watchedRuns() {
        ProjectState state = keeper.get();
        Map<String, RunRecord> records = keeper.runsByUid();
        Set<String> instances = new HashSet<>();
        state.instances().forEach(i -> instances.add(i.name()));
        Map<String, List<RunRecord>> byInstance = new LinkedHashMap<>();
        for (RunPlan run : plan.get().runs()) {
            RunRecord record = records.get(run.uid());
            if (record.submitted() && !record.state().finished() && instances.contains(record.instance())) {
                byInstance.computeIfAbsent(record.instance(), k -> new ArrayList<>()).add(record);
            }
        }
        return byInstance;
    }

    private boolean apply(List<RunRecord> runs, PollReport report) {
        boolean[] changed = {false};
        keeper.update(state -> {
            Map<String, RunRecord> updates = new HashMap<>();
            // a batch scheduler's preempted task is one task placed again, its login node goes nowhere
            state = provider.batch().isPresent() ? state : noticeSpot(state, runs, report);
            for (RunRecord run : runs) {
                PollReport.RunStatus seen = report.runs().get(run.rid());
                RunRecord updated = seen == null
                        ? Recovery.retryOrAbort(run, "its folder is missing on " + run.instance())
                        : fold(run, seen);
                if (!updated.equals(run)) {
                    updates.put(run.uid(), updated);
                    changed[0] = true;
                    if (updated.state() != run.state() || updated.attempt() != run.attempt()) {
                        listener.accept(new Event.RunChanged(updated, run.state()));
                    }
                }
            }
            return updates.isEmpty() ? state : state.updateRuns(updates.keySet(), r -> updates.get(r.uid()));
        });
        return changed[0];
    }

    private RunRecord fold(RunRecord run, PollReport.RunStatus seen) {
        RunState state = RunState.valueOf(seen.state());
        // a run that died through no fault of its own is worth another attempt
        if (state == RunState.ABORTED && seen.code() != null && seen.code().transientLoss()) {
            return Recovery.retryOrAbort(run, seen.reason());
        }
        var report = new RunTransitions.Seen(state, seen.exit(), seen.start(), seen.end(), seen.reason());
        Optional<JobSpec> job = plan.get().run(run.uid()).map(r -> r.job().spec());
        if (state == RunState.PREEMPTED) {
            return RunTransitions.apply(run, new RunTransitions.Preempted(preempted(run, seen),
                    job.map(JobSpec::maxPreemptions).orElse(JobSpec.DEFAULT_MAX_PREEMPTIONS)));
        }
        if (state == RunState.ABORTED && seen.code() != null && seen.code().failure() && !run.state().finished()) {
            return RunTransitions.apply(run, new RunTransitions.Failed(report,
                    job.map(JobSpec::maxRetries).orElse(JobSpec.DEFAULT_MAX_RETRIES)));
        }
        return RunTransitions.apply(run, report);
    }

    private static String preempted(RunRecord run, PollReport.RunStatus seen) {
        return "preempted on " + run.instance() + (seen.reason() == null ? "" : ": " + seen.reason());
    }

    /**
     * Records the spot interruption notice of an instance some of whose runs the report says PREEMPTED (once per
     * instance and generation): placement then avoids the instance while it goes away, and spot_fallback counts it.
     */
    private ProjectState noticeSpot(ProjectState state, List<RunRecord> runs, PollReport report) {
        for (RunRecord run : runs) {
            PollReport.RunStatus seen = report.runs().get(run.rid());
            if (seen != null && RunState.PREEMPTED.name().equals(seen.state())) {
                Optional<InstanceRecord> instance = state.instance(run.instance());
                String entry = plan.get().instance(run.instance()).map(i -> i.spec().name()).orElse(run.instance());
                if (instance.isPresent() && !state.goingAway(run.instance())) {
                    listener.accept(new Event.Warning(run.instance() + " got a spot interruption notice"
                            + (seen.reason() == null ? "" : " (" + seen.reason() + ")")
                            + ": its runs go to another instance"));
                    return state.withSpotNotice(new SpotNotice(run.instance(), instance.get().generation(), entry,
                            seen.reason()));
                }
            }
        }
        return state;
    }

    /**
     * Fetches the checkpoint files of the runs the report says PREEMPTED, while their instance is still there (the
     * run says PREEMPTED once its command ended or its grace ran out, so the files are whole). A fetch that fails
     * is told: the run's next attempt then starts from the last checkpoint Katapult holds, or clean.
     */
    private void fetchCheckpoints(String instance, List<RunRecord> runs, PollReport report, Shell shell) {
        for (RunRecord run : runs) {
            PollReport.RunStatus seen = report.runs().get(run.rid());
            List<String> files = plan.get().run(run.uid()).map(r -> r.job().spec().checkpointFiles()).orElse(List.of());
            if (seen == null || !RunState.PREEMPTED.name().equals(seen.state()) || files.isEmpty()) {
                continue;
            }
            try {
                int came = checkpoints.fetch(shell, layout.on(instance), run, files);
                listener.accept(came > 0
                        ? new Event.Step("wait", "run " + run.rid() + ": fetched its checkpoint (" + came + " of "
                                + files.size() + " file(s)) from " + instance)
                        : new Event.Warning("run " + run.rid() + " left no checkpoint file on " + instance));
            } catch (IOException | RuntimeException e) {
                listener.accept(new Event.Warning("run " + run.rid() + ": its checkpoint could not be fetched from "
                        + instance + " (" + e.getMessage() + "); its next attempt starts from the last checkpoint"
                        + " Katapult holds, or clean"));
            }
        }
    }

    private boolean markUnknown(List<RunRecord> runs) {
        boolean[] changed = {false};
        keeper.update(state -> {
            ProjectState next = state;
            for (RunRecord run : runs) {
                if (run.state() != RunState.UNKNOWN) {
                    changed[0] = true;
                    RunRecord unknown = RunTransitions.apply(run, new RunTransitions.Unreachable());
                    next = next.updateRun(run.uid(), r -> unknown);
                    listener.accept(new Event.RunChanged(unknown, run.state()));
                }
            }
            return next;
        });
        return changed[0];
    }

    private void reportEnvFailures(String instance, PollReport report, Shell shell)
            throws IOException {
        for (PollReport.EnvStatus env : report.envs().values()) {
            if (env.failed() && reportedEnvFailures.add(instance + "/" + env.key())) {
                String log = shell.exec(RemoteCommands.tail(layout.on(instance).env(env.key()) + "/setup.log", 15)).stdout().strip();
                listener.accept(new Event.Warning("environment " + env.key() + " failed on " + instance + ": "
                        + env.reason() + (log.isEmpty() ? "" : "\n" + log.indent(4).stripTrailing())));
            }
        }
    }
}
