package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import katapult.plan.InstancePlan;
import katapult.plan.Plan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.provider.ShutdownEffect;
import katapult.remote.AgentClocks;
import katapult.remote.DiskSpace;
import katapult.remote.PollReport;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;

/**
 * What {@code status} shows of each running instance beyond its runs, read with a poll that names no run and asks
 * for the disk: one exec per running instance, also those with nothing left to run (exactly the ones whose idle
 * clock is ticking). The lifecycle clocks are kept for the instances whose agent may shut them down (the provider
 * owns them), the free disk for all. An instance that does not answer has neither; it never fails the whole.
 */
final class ClockReader {

    private final RemoteLayout layout;
    private final Provider provider;

    ClockReader(RemoteLayout layout, Provider provider) {
        this.layout = layout;
        this.provider = provider;
    }

    InstanceReadings read(Plan plan, List<InstanceRecord> instances) {
        Map<String, AgentClocks> clocks = new ConcurrentHashMap<>();
        Map<String, DiskSpace> disks = new ConcurrentHashMap<>();
        if (instances.isEmpty()) {
            return new InstanceReadings(clocks, disks);
        }
        Map<String, String> statuses;
        try {
            statuses = provider.statuses(instances);
        } catch (IOException | RuntimeException e) {
            return new InstanceReadings(clocks, disks);
        }
        List<InstanceRecord> running = instances.stream()
                .filter(i -> InstanceStatus.RUNNING.equals(statuses.get(i.name()))).toList();
        Parallel.each(running, instance -> {
            try (var shell = provider.shell(instance)) {
                PollReport report = PollReport.parse(shell.exec(
                        layout.on(instance.name()).command("poll.sh", "-", "disk"), "", Duration.ofSeconds(30))
                        .orThrow("reading the clocks and disk of " + instance.name()).stdout());
                if (report.clocks().known() && owned(plan, instance.name())) {
                    clocks.put(instance.name(), report.clocks());
                }
                if (report.disk() != null) {
                    disks.put(instance.name(), report.disk());
                }
            }
        });
        return new InstanceReadings(clocks, disks);
    }

    private boolean owned(Plan plan, String name) {
        Optional<InstancePlan> planned = plan.instance(name);
        return planned.isPresent() && provider.onShutdown(planned.get().spec()) != ShutdownEffect.NONE;
    }
}
