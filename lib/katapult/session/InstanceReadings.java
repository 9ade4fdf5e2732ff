package katapult.session;

import java.util.Map;

import katapult.remote.AgentClocks;
import katapult.remote.DiskSpace;

/**
 * What the running instances told of themselves beyond their runs, by instance name.
 *
 * @param clocks the lifecycle clocks of the instances whose agent may shut them down
 * @param disks  the disk of each instance's project folder
 */
public record InstanceReadings(Map<String, AgentClocks> clocks, Map<String, DiskSpace> disks) {

    public InstanceReadings {
        clocks = Map.copyOf(clocks);
        disks = Map.copyOf(disks);
    }
}
