package katapult.session;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import katapult.state.InstanceRecord;
import katapult.state.RunState;

/**
 * A snapshot of a session.
 *
 * @param project   project name
 * @param live      true when the states were just read from the instances; false when read from the saved state
 *                  (another process drives the project)
 * @param instances instances of the project
 * @param runs      the runs of the current config, in plan order
 */
public record Status(String project, boolean live, List<InstanceRecord> instances, List<RunView> runs) {

    public Map<RunState, Integer> counts() {
        Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
        runs.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
        return counts;
    }

    public boolean allDone() {
        return runs.stream().allMatch(r -> r.state() == RunState.DONE);
    }
}
