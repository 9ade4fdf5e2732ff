package katapult.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One save as a line of the state journal: the run records that changed (or were added at the end), and each other
 * part of the state only when it changed, whole. Absent parts are unchanged.
 *
 * @param seq         the number of this save; a snapshot records the last one it holds, so lines up to it are skipped
 * @param runs        run records that changed, whole: each replaces the run of its uid, or is added after the others
 * @param instances   every instance, when any changed
 * @param configFiles the config files, when they changed
 * @param jobNames    the job names, when they changed
 * @param spotNotices the spot notices, when they changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateChange(long seq, List<RunRecord> runs, List<InstanceRecord> instances, List<String> configFiles,
                          Map<String, String> jobNames, List<SpotNotice> spotNotices) {

    /**
     * What turns {@code saved} into {@code next} ({@link #isEmpty} when they are equal), or null when a line cannot
     * say it (runs removed or reordered): then the whole state must be written. Unchanged runs are the same objects in both
     * states, so the comparison costs little more than a pass over references.
     */
    static StateChange between(ProjectState saved, ProjectState next, long seq) {
        List<RunRecord> before = saved.runs();
        List<RunRecord> after = next.runs();
        if (after.size() < before.size()) {
            return null;
        }
        List<RunRecord> changed = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            RunRecord run = after.get(i);
            RunRecord old = i < before.size() ? before.get(i) : null;
            if (old != null && !old.uid().equals(run.uid())) {
                return null;
            }
            if (old != run && !run.equals(old)) {
                changed.add(run);
            }
        }
        return new StateChange(seq, changed.isEmpty() ? null : changed,
                ifChanged(saved.instances(), next.instances()), ifChanged(saved.configFiles(), next.configFiles()),
                ifChanged(saved.jobNames(), next.jobNames()), ifChanged(saved.spotNotices(), next.spotNotices()));
    }

    /** Nothing changed: no line to write. */
    boolean isEmpty() {
        return runs == null && instances == null && configFiles == null && jobNames == null && spotNotices == null;
    }

    private static <T> T ifChanged(T before, T after) {
        return before.equals(after) ? null : after;
    }
}
