package katapult.session;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import katapult.remote.AgentClocks;
import katapult.remote.DiskSpace;
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
 * @param clocks    the lifecycle clocks of the instances that told them, by instance name (read by {@code status})
 * @param disks     the disk of the instances that told it, by instance name (read by {@code status})
 */
public record Status(String project, boolean live, List<InstanceRecord> instances, List<RunView> runs,
                     Map<String, AgentClocks> clocks, Map<String, DiskSpace> disks) {

    public Status {
        clocks = Map.copyOf(clocks);
        disks = Map.copyOf(disks);
    }

    /** A status without clocks or disks. */
    public Status(String project, boolean live, List<InstanceRecord> instances, List<RunView> runs) {
        this(project, live, instances, runs, Map.of(), Map.of());
    }

    public Status withClocks(Map<String, AgentClocks> newClocks) {
        return new Status(project, live, instances, runs, newClocks, disks);
    }

    /** This status with what the instances told of themselves (clocks, disks). */
    public Status with(InstanceReadings readings) {
        return new Status(project, live, instances, runs, readings.clocks(), readings.disks());
    }

    public Map<RunState, Integer> counts() {
        Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
        runs.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
        return counts;
    }

    public boolean allDone() {
        return runs.stream().allMatch(r -> r.state() == RunState.DONE);
    }
}
