package katapult.provider.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.state.InstanceRecord;
import katapult.transport.LocalShell;
import katapult.transport.Shell;

/**
 * Instances that are sandbox folders on this machine ({@code .katapult/<project>/local/<instance>/}), each used as
 * the {@code $HOME} of everything run "on" it. No account, no network: the default provider, and the one the
 * protocol is tested on.
 */
public final class LocalProvider implements Provider {

    private final Path sandboxes;

    public LocalProvider(Path projectStateDir) {
        this.sandboxes = projectStateDir.resolve("local").toAbsolutePath();
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public int machineCpus(InstanceSpec spec) {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public int defaultCpus(InstanceSpec spec) {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        Path home = sandboxes.resolve(plan.name());
        boolean existed = Files.isDirectory(home);
        Files.createDirectories(home);
        if (!existed) {
            progress.accept("created sandbox " + home);
        }
        int generation = known.map(k -> existed ? k.generation() : k.generation() + 1).orElse(1);
        String agent = existed ? known.map(InstanceRecord::agentVersion).orElse(null) : null;
        List<String> envs = existed ? known.map(InstanceRecord::envKeys).orElse(List.of()) : List.of();
        return new InstanceRecord(plan.name(), kind(), home.toString(), plan.cpus(), InstanceStatus.RUNNING,
                generation, agent, envs);
    }

    @Override
    public Map<String, String> statuses(List<InstanceRecord> instances) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (InstanceRecord instance : instances) {
            statuses.put(instance.name(), Files.isDirectory(Path.of(instance.handle()))
                    ? InstanceStatus.RUNNING : InstanceStatus.GONE);
        }
        return statuses;
    }

    @Override
    public Shell shell(InstanceRecord instance) throws IOException {
        Path home = Path.of(instance.handle());
        if (!Files.isDirectory(home)) {
            throw new IOException("sandbox of " + instance.name() + " is gone (" + home + ")");
        }
        return new LocalShell(home, "local:" + instance.name());
    }

    /** A sandbox has no machine to stop: the session has already stopped its agent and runs. */
    @Override
    public void stop(InstanceRecord instance) {
    }

    @Override
    public void remove(InstanceRecord instance) throws IOException {
        Path home = Path.of(instance.handle());
        if (!home.startsWith(sandboxes)) {
            throw new IOException("refusing to delete " + home + ": not a sandbox of this project");
        }
        if (Files.exists(home)) {
            try (Stream<Path> tree = Files.walk(home)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
