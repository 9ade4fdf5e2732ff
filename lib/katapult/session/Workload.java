package katapult.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.config.JobSpec;
import katapult.config.KeptNames;
import katapult.plan.Plan;
import katapult.plan.Planner;
import katapult.plan.RunPlan;
import katapult.provider.Provider;
import katapult.state.InstanceRecord;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunTransitions;

/**
 * The session's current config and its plan, kept in step with the state: planning again adds a record for every
 * new run, and the records of the plan's runs are read through the state's uid index. Not thread-safe: the config
 * changes only between steps.
 */
final class Workload {

    private final Provider provider;
    private final StateKeeper keeper;
    private final Fetcher fetcher;
    private Config config;
    private Plan plan;

    Workload(Config config, Provider provider, StateKeeper keeper, Fetcher fetcher) {
        this.provider = provider;
        this.keeper = keeper;
        this.fetcher = fetcher;
        replan(config);
    }

    Config config() {
        return config;
    }

    Plan plan() {
        return plan;
    }

    /** Adds the jobs (and environments, instances) of another config file or saved job, and plans again. */
    void add(Path file) {
        Config merged = Additions.load(file, config, new KeptNames(keeper.get().jobNames()));
        String path = file.toAbsolutePath().normalize().toString();
        keeper.update(s -> {
            List<String> files = new ArrayList<>(s.configFiles());
            files.add(path);
            return s.withConfigFiles(files);
        });
        replan(merged);
    }

    /** Plans {@code newConfig} and records what the state lacks of it. */
    void replan(Config newConfig) {
        this.config = newConfig;
        this.plan = Planner.plan(newConfig, provider::machineCpus, this::defaultCpus);
        keeper.update(this::adoptPlan);
    }

    /** The records of the current config's runs, in plan order. */
    List<RunRecord> records() {
        Map<String, RunRecord> records = keeper.runsByUid();
        return plan.runs().stream().map(r -> records.get(r.uid())).toList();
    }

    /** A run of the current config by uid, remote id, {@code job/repeat}, or job name when it has one repeat. */
    RunRecord find(String ref) {
        RunRecord exact = plan.run(ref).isPresent() ? keeper.runsByUid().get(ref) : null;
        if (exact != null) {
            return exact;
        }
        List<RunRecord> matches = records().stream().filter(r -> r.uid().equals(ref) || r.rid().equals(ref)
                || (r.job() + "/" + r.repeat()).equals(ref) || r.job().equals(ref) || r.uid().startsWith(ref)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new SessionException(matches.isEmpty()
                ? "no run '" + ref + "': name one as JOB/REPEAT, JOB or its id (see `katapult status`)"
                : "'" + ref + "' names " + matches.size() + " runs: use JOB/REPEAT");
    }

    /** An entry without cpus: what its instance told when reached (ssh), else the provider's default. */
    private int defaultCpus(InstanceSpec spec) {
        if (provider.cpusFromMachine(spec)) {
            Optional<InstanceRecord> known = keeper.get().instance(spec.name());
            if (known.isPresent()) {
                return known.get().cpus();
            }
        }
        return provider.defaultCpus(spec);
    }

    /**
     * Adds a record for every planned run the state lacks (after the others, in plan order), and forgets fetches whose
     * files were deleted. A state that has every run as it is stays the same object: nothing is copied nor saved.
     */
    private ProjectState adoptPlan(ProjectState state, Map<String, RunRecord> byUid) {
        List<RunRecord> added = new ArrayList<>();
        Map<String, RunRecord> unfetched = new HashMap<>();
        for (RunPlan run : plan.runs()) {
            RunRecord known = byUid.get(run.uid());
            if (known == null) {
                added.add(RunRecord.planned(run.uid(), run.job().name(), run.repeat(), null));
            } else if (known.fetched() && known.submitted()
                    && !fetcher.present(known, run.job().spec().outputFiles())) {
                unfetched.put(run.uid(), RunTransitions.apply(known, new RunTransitions.Unfetched()));
            }
        }
        if (added.isEmpty() && unfetched.isEmpty()) {
            return keepNames(state);
        }
        List<RunRecord> runs = new ArrayList<>(state.runs().size() + added.size());
        state.runs().forEach(run -> runs.add(unfetched.getOrDefault(run.uid(), run)));
        runs.addAll(added);
        return keepNames(state.withRuns(runs));
    }

    /** Records the default names of the plan's jobs, so that they stay theirs whatever jobs are added later. */
    private ProjectState keepNames(ProjectState state) {
        Map<String, String> names = null;
        for (JobSpec job : config.jobs()) {
            if (job.nameKey() != null && !state.jobNames().containsKey(job.name())) {
                if (names == null) {
                    names = new LinkedHashMap<>(state.jobNames());
                }
                names.put(job.name(), KeptNames.keyOf(job.nameKey()));
            }
        }
        return names == null ? state : state.withJobNames(names);
    }
}
