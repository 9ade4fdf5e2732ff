package katapult.terminal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import katapult.cost.ProjectCost;
import katapult.session.Retried;
import katapult.session.Status;
import katapult.state.InstanceRecord;
import katapult.state.RunRecord;

/**
 * The documented JSON shapes of the commands that act ({@code run}, {@code wait}, {@code fetch}, {@code stop},
 * {@code down}, {@code init}, {@code add}, {@code retry}; see README, "JSON output"). The shapes of the commands that
 * only show ({@code status}, {@code logs}) are {@link Json}'s. Field names are part of the interface: add, never rename.
 */
public final class Reports {

    /** How a {@code run} or {@code wait} ended. */
    public enum Outcome {
        /** Every run DONE (exit 0). */
        DONE,
        /** Every run finished, some ABORTED (exit 1). */
        ABORTED,
        /** {@code --timeout} passed with runs going on (exit 3). */
        TIMEOUT,
        /** {@code run} handed the session to the remote maestro (exit 0). */
        HANDED_OFF;

        public String word() {
            return name().toLowerCase();
        }
    }

    private Reports() {
    }

    /**
     * {@code run --json} and {@code wait --json}: the shape of {@code status --json} plus how it ended and where;
     * {@code jobs} (the runs tables) is null where no session was opened here.
     */
    public static Map<String, Object> ended(Status status, ProjectCost cost, Outcome outcome, Path results,
                                            List<Map<String, Object>> jobs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", outcome.word());
        json.put("results", results.toString());
        json.putAll(Json.status(status, cost));
        if (jobs != null) {
            json.put("jobs", jobs);
        }
        return json;
    }

    /** {@code run --json} of a session handed to the remote maestro. */
    public static Map<String, Object> handedOff(String project, String maestro, Path results) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", Outcome.HANDED_OFF.word());
        json.put("results", results.toString());
        json.put("project", project);
        json.put("maestro", maestro);
        return json;
    }

    /**
     * {@code fetch --json}: runs are counted when the session was local ({@code fetchedRuns} of {@code runs}), files
     * when it came from the remote maestro ({@code filesCopied}, {@code filesPresent}); the other pair is null.
     */
    public static Map<String, Object> fetched(String project, Path folder, Path into, Long fetchedRuns, Integer runs,
                                              Integer filesCopied, Integer filesPresent) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", project);
        json.put("folder", folder.toString());
        json.put("into", into == null ? null : into.toString());
        json.put("fetchedRuns", fetchedRuns);
        json.put("runs", runs);
        json.put("filesCopied", filesCopied);
        json.put("filesPresent", filesPresent);
        return json;
    }

    /** {@code stop --json}: the instances as they are after it, and the runs by state. */
    public static Map<String, Object> stopped(Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", status.project());
        json.put("instances", status.instances().stream().map(Reports::instance).toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        status.counts().forEach((state, n) -> counts.put(state.name(), n));
        json.put("counts", counts);
        return json;
    }

    /**
     * {@code down --json}: what was removed (with {@code --dry-run}: what would be), and what the project cost where
     * the provider charges ({@code null} elsewhere).
     */
    public static Map<String, Object> down(String project, boolean dryRun, List<String> removed, ProjectCost cost) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", project);
        json.put("dryRun", dryRun);
        json.put("removed", removed);
        if (cost == null) {
            json.put("cost", null);
        } else {
            Map<String, Object> spend = new LinkedHashMap<>();
            spend.put("spent", cost.spend().dollars());
            spend.put("unknownPrices", cost.spend().unknown());
            json.put("cost", spend);
        }
        return json;
    }

    /** {@code init --json} and {@code add --json}: the project's plan in numbers; {@code added} is null for init. */
    public static Map<String, Object> planned(String project, int instances, int jobs, int runs, Integer added) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", project);
        json.put("instances", instances);
        json.put("jobs", jobs);
        json.put("runs", runs);
        json.put("added", added);
        return json;
    }

    /** {@code retry --json}: the runs re-queued (as they are now) and those left ABORTED because not fetched yet. */
    public static Map<String, Object> retried(String project, boolean failedOnly, String job, Retried retried) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", project);
        json.put("failedOnly", failedOnly);
        json.put("job", job);
        json.put("requeued", retried.requeued().stream().map(Reports::run).toList());
        json.put("unfetched", retried.unfetched().stream().map(Reports::run).toList());
        return json;
    }

    private static Map<String, Object> run(RunRecord run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", run.job());
        m.put("repeat", run.repeat());
        m.put("uid", run.uid());
        m.put("rid", run.rid());
        m.put("attempt", run.attempt());
        m.put("state", run.state().name());
        m.put("reason", run.reason());
        return m;
    }

    private static Map<String, Object> instance(InstanceRecord instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", instance.name());
        m.put("provider", instance.provider());
        m.put("status", instance.status());
        return m;
    }
}
