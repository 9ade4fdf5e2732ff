package katapult.session;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import katapult.provider.Provider;
import katapult.remote.PollReport;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;

/** print_deploy: waits until every environment sent is ready or failed, and shows each set-up log. */
final class EnvironmentWatch {

    private final RemoteLayout layout;
    private final StateKeeper keeper;
    private final Provider provider;
    private final Consumer<Event> listener;

    EnvironmentWatch(RemoteLayout layout, StateKeeper keeper, Provider provider, Consumer<Event> listener) {
        this.layout = layout;
        this.keeper = keeper;
        this.provider = provider;
        this.listener = listener;
    }

    void awaitReady() {
        Map<InstanceRecord, Exception> failures = Parallel.each(keeper.get().instances(), this::awaitOn);
        failures.forEach((instance, e) -> listener.accept(new Event.Warning("cannot follow environments on "
                + instance.name() + ": " + e.getMessage())));
    }

    private void awaitOn(InstanceRecord instance) throws IOException, InterruptedException {
        List<String> keys = instance.envKeys();
        Map<String, String> last = new LinkedHashMap<>();
        try (var shell = provider.shell(instance)) {
            while (true) {
                // environments only: no run named on stdin
                PollReport report = PollReport.parse(shell.exec(layout.on(instance.name()).command("poll.sh", "-")).stdout());
                boolean settled = true;
                for (String key : keys) {
                    PollReport.EnvStatus env = report.envs().get(key);
                    String status = env == null ? "PENDING" : env.status();
                    if (!status.equals(last.put(key, status))) {
                        listener.accept(new Event.Step("deploy", instance.name() + ": environment " + key + " "
                                + status + (env != null && env.reason() != null ? " (" + env.reason() + ")" : "")));
                        if (env != null && env.settled()) {
                            String log = shell.exec(RemoteCommands.readFile(layout.on(instance.name()).env(key)
                                    + "/setup.log")).stdout().stripTrailing();
                            if (!log.isEmpty()) {
                                listener.accept(new Event.Step("deploy", log.indent(4).stripTrailing()));
                            }
                        }
                    }
                    settled &= env != null && env.settled();
                }
                if (settled) {
                    return;
                }
                Thread.sleep(1000);
            }
        }
    }
}
