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
import katapult.remote.PollReport;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;

/**
 * The lifecycle clocks of the instances whose agent may shut them down (the provider owns them), read with a poll
 * that names no run: one exec per running instance, also those with nothing left to run (exactly the ones whose
 * idle clock is ticking). An instance that does not answer has no clocks; it never fails the whole.
 */
final class ClockReader {

    private final RemoteLayout layout;
    private final Provider provider;

    ClockReader(RemoteLayout layout, Provider provider) {
        this.layout = layout;
        this.provider = provider;
    }

    Map<String, AgentClocks> read(Plan plan, List<InstanceRecord> instances) {
        List<InstanceRecord> owned = instances.stream().filter(i -> owned(plan, i.name())).toList();
        Map<String, AgentClocks> clocks = new ConcurrentHashMap<>();
        if (owned.isEmpty()) {
            return clocks;
        }
        Map<String, String> statuses;
        try {
            statuses = provider.statuses(owned);
        } catch (IOException | RuntimeException e) {
            return clocks;
        }
        List<InstanceRecord> running = owned.stream()
                .filter(i -> InstanceStatus.RUNNING.equals(statuses.get(i.name()))).toList();
        Parallel.each(running, instance -> {
            try (var shell = provider.shell(instance)) {
                PollReport report = PollReport.parse(shell.exec(layout.on(instance.name()).command("poll.sh", "-"),
                        "", Duration.ofSeconds(30)).orThrow("reading the clocks of " + instance.name()).stdout());
                if (report.clocks().known()) {
                    clocks.put(instance.name(), report.clocks());
                }
            }
        });
        return clocks;
    }

    private boolean owned(Plan plan, String name) {
        Optional<InstancePlan> planned = plan.instance(name);
        return planned.isPresent() && provider.onShutdown(planned.get().spec()) != ShutdownEffect.NONE;
    }
}
