package katapult.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything Katapult must remember of a project between two processes; saved whole after every transition.
 *
 * @param format      {@link #FORMAT}; anything else is a foreign file
 * @param project     the project it belongs to
 * @param configFiles the config file and then every file added with {@code add}, absolute
 * @param instances   instances in plan order
 * @param runs        runs in plan order
 * @param jobNames    every default job name the project gave → the key of its job (see {@code KeptNames}): the
 *                    name stays that job's, whatever jobs come later (absent in states written before it)
 * @param spotNotices the spot interruption notices instances got, one per instance and generation (absent in states
 *                    written before it)
 */
public record ProjectState(String format, String project, List<String> configFiles, List<InstanceRecord> instances,
                           List<RunRecord> runs, Map<String, String> jobNames,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SpotNotice> spotNotices) {

    public static final String FORMAT = "katapult-state/1";

    public ProjectState {
        configFiles = List.copyOf(configFiles);
        instances = List.copyOf(instances);
        runs = List.copyOf(runs);
        jobNames = jobNames == null ? Map.of() : Map.copyOf(jobNames);
        spotNotices = spotNotices == null ? List.of() : List.copyOf(spotNotices);
    }

    /** A state without spot notices. */
    public ProjectState(String format, String project, List<String> configFiles, List<InstanceRecord> instances,
                        List<RunRecord> runs, Map<String, String> jobNames) {
        this(format, project, configFiles, instances, runs, jobNames, List.of());
    }

    /**
     * What makes this state unusable although it parsed (a field a hand edit or another tool left out, a run or
     * instance twice), one line each; empty when it is sound.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (configFiles.isEmpty()) {
            problems.add("configFiles must list the config file first");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < instances.size(); i++) {
            InstanceRecord instance = instances.get(i);
            String where = "instance " + (i + 1);
            if (instance.name() == null || instance.provider() == null) {
                problems.add(where + " has no " + (instance.name() == null ? "name" : "provider"));
            } else if (!names.add(instance.name())) {
                problems.add(where + ": '" + instance.name() + "' is there twice");
            }
        }
        Set<String> uids = new HashSet<>(runs.size() * 2);
        for (int i = 0; i < runs.size(); i++) {
            RunRecord run = runs.get(i);
            // the text is built only for a run with a problem: this check runs over every run on every load
            if (run.uid() == null || run.job() == null || run.state() == null) {
                problems.add("run " + (i + 1) + " has no "
                        + (run.uid() == null ? "uid" : run.job() == null ? "job" : "state"));
            } else if (run.repeat() < 1 || run.attempt() < 1) {
                problems.add("run " + (i + 1) + " (" + run.job() + "): repeat and attempt start at 1");
            } else if (!uids.add(run.uid())) {
                problems.add("run " + (i + 1) + ": uid " + run.uid() + " is there twice");
            }
        }
        return problems;
    }

    public static ProjectState empty(String project, String configFile) {
        return new ProjectState(FORMAT, project, List.of(configFile), List.of(), List.of(), Map.of());
    }

    public Optional<RunRecord> run(String uid) {
        return runs.stream().filter(r -> r.uid().equals(uid)).findFirst();
    }

    /** Every run by its uid, made anew: for a loop over many runs (a lookup with {@link #run} scans them all). */
    public Map<String, RunRecord> runsByUid() {
        Map<String, RunRecord> byUid = new HashMap<>(runs.size() * 2);
        runs.forEach(run -> byUid.put(run.uid(), run));
        return byUid;
    }

    public Optional<InstanceRecord> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public ProjectState withRuns(List<RunRecord> newRuns) {
        return new ProjectState(format, project, configFiles, instances, newRuns, jobNames, spotNotices);
    }

    public ProjectState withInstances(List<InstanceRecord> newInstances) {
        return new ProjectState(format, project, configFiles, newInstances, runs, jobNames, spotNotices);
    }

    public ProjectState withConfigFiles(List<String> files) {
        return new ProjectState(format, project, files, instances, runs, jobNames, spotNotices);
    }

    public ProjectState withJobNames(Map<String, String> names) {
        return new ProjectState(format, project, configFiles, instances, runs, names, spotNotices);
    }

    /** The state with {@code notice} recorded, unless its instance's generation already has one. */
    public ProjectState withSpotNotice(SpotNotice notice) {
        if (spotNotices.stream().anyMatch(n -> n.instance().equals(notice.instance())
                && n.generation() == notice.generation())) {
            return this;
        }
        List<SpotNotice> notices = new ArrayList<>(spotNotices);
        notices.add(notice);
        return new ProjectState(format, project, configFiles, instances, runs, jobNames, notices);
    }

    /** Whether {@code instance}, as it is now, got a spot interruption notice: it is going away. */
    public boolean goingAway(String instance) {
        return instance(instance).map(i -> spotNotices.stream().anyMatch(n -> n.instance().equals(instance)
                && n.generation() == i.generation())).orElse(false);
    }

    /** How many instances made from config entry {@code entry} got a spot interruption notice. */
    public long preemptionsOf(String entry) {
        return spotNotices.stream().filter(n -> n.entry().equals(entry)).count();
    }

    public ProjectState updateRun(String uid, UnaryOperator<RunRecord> change) {
        return updateRuns(Set.of(uid), change);
    }

    /** Applies one change to several runs, so that the state is saved once for all of them. */
    public ProjectState updateRuns(Collection<String> uids, UnaryOperator<RunRecord> change) {
        // a set: a list's contains() per run would cost runs x uids
        Set<String> chosen = uids instanceof Set<String> set ? set : new HashSet<>(uids);
        List<RunRecord> updated = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            updated.add(chosen.contains(run.uid()) ? change.apply(run) : run);
        }
        return withRuns(updated);
    }

    public ProjectState updateInstance(String name, UnaryOperator<InstanceRecord> change) {
        List<InstanceRecord> updated = new ArrayList<>(instances.size());
        for (InstanceRecord instance : instances) {
            updated.add(instance.name().equals(name) ? change.apply(instance) : instance);
        }
        return withInstances(updated);
    }
}
