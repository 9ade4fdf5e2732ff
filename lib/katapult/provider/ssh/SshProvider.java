package katapult.provider.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.transport.ExecResult;
import katapult.transport.Shell;
import katapult.transport.SshAccess;
import katapult.transport.SshConnections;
import katapult.transport.SshSettings;
import katapult.transport.SshTarget;

/**
 * Machines the user already has, reached over SSH: nothing is created or destroyed, only Katapult's folder
 * {@code ~/.katapult/<project>} on them. One pooled connection per host serves every step. A host that cannot be
 * reached is still RUNNING to this provider (its runs turn UNKNOWN and are picked up when it answers again).
 */
public final class SshProvider implements Provider {

    private final Config config;
    private final SshConnections connections;
    private final SshSettings settings;
    private final RemoteLayout layout;

    public SshProvider(Config config, Path projectStateDir) {
        this(config, SshSettings.defaults(projectStateDir.resolve("known_hosts")));
    }

    public SshProvider(Config config, SshSettings settings) {
        this.config = config;
        this.connections = new SshConnections(settings);
        this.settings = settings;
        this.layout = new RemoteLayout(config.project());
    }

    public SshConnections connections() {
        return connections;
    }

    @Override
    public String kind() {
        return "ssh";
    }

    /** One host is one machine: {@code explode} never splits it. */
    @Override
    public int machineCpus(InstanceSpec spec) {
        return spec.cpus() != null ? spec.cpus() : Integer.MAX_VALUE;
    }

    /** Unknown until the host is reached: {@link #ensure} asks it ({@code nproc}) and the session plans again. */
    @Override
    public int defaultCpus(InstanceSpec spec) {
        return 1;
    }

    @Override
    public boolean cpusFromMachine(InstanceSpec spec) {
        return spec.cpus() == null;
    }

    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        SshTarget target = target(plan.spec());
        ExecResult answer;
        try (Shell shell = connections.shell(target)) {
            answer = shell.exec(RemoteCommands.cpusAndAgentVersion(layout.on(plan.name())),
                    null, Duration.ofMinutes(1)).orThrow("asking " + target + " for its cpus");
        }
        String[] lines = answer.stdout().strip().split("\n");
        int nproc;
        try {
            nproc = Math.max(1, Integer.parseInt(lines[0].strip()));
        } catch (NumberFormatException e) {
            throw new IOException(target + " did not tell its cpu count (nproc said '" + lines[0] + "')");
        }
        String installed = lines.length > 1 ? lines[1].strip() : null;
        int cpus = plan.spec().cpus() != null ? plan.cpus() : nproc;
        boolean sameHost = known.map(k -> k.handle().equals(target.handle())).orElse(false);
        if (!sameHost) {
            progress.accept("reached " + target + " (" + nproc + " cpus)");
        }
        int generation = known.map(k -> sameHost ? k.generation() : k.generation() + 1).orElse(1);
        String agent = installed == null || installed.isEmpty() ? null : installed;
        List<String> envs = sameHost && agent != null ? known.get().envKeys() : List.of();
        return new InstanceRecord(plan.name(), kind(), target.handle(), cpus, InstanceStatus.RUNNING, generation, agent,
                envs);
    }

    /**
     * Hosts are always up as far as this provider knows (Katapult never stops or removes them): a host that does not
     * answer is unreachable for now, never GONE, so its runs are kept (UNKNOWN) until it answers again.
     */
    @Override
    public Map<String, String> statuses(List<InstanceRecord> instances) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (InstanceRecord instance : instances) {
            statuses.put(instance.name(), InstanceStatus.RUNNING);
        }
        return statuses;
    }

    @Override
    public Shell shell(InstanceRecord instance) {
        return connections.shell(target(instance));
    }

    /** Pins are under the host's address, in the user's known_hosts or else the project's. */
    @Override
    public Optional<SshAccess> sshAccess(InstanceRecord instance) {
        return Optional.of(new SshAccess(target(instance), null,
                List.of(settings.knownHosts(), settings.userKnownHosts())));
    }

    /** The session has stopped the agent; the host itself is not Katapult's to stop. */
    @Override
    public void stop(InstanceRecord instance) {
    }

    /** Nothing to remove but Katapult's folder, which only {@code down --purge} removes. */
    @Override
    public void remove(InstanceRecord instance) {
    }

    @Override
    public void close() {
        connections.close();
    }

    /** The target of a config entry. */
    SshTarget target(InstanceSpec spec) {
        return new SshTarget(spec.ssh().user(), spec.ssh().host(), spec.ssh().port() == null ? 22 : spec.ssh().port(),
                spec.ssh().key() == null ? null : Path.of(spec.ssh().key()));
    }

    /** The target of a recorded instance: its handle, with the key of its config entry (if the config still has it). */
    SshTarget target(InstanceRecord instance) {
        Path key = null;
        for (InstanceSpec spec : config.instances()) {
            if (spec.name().equals(instance.name()) || target(spec).handle().equals(instance.handle())) {
                key = spec.ssh().key() == null ? null : Path.of(spec.ssh().key());
                if (spec.name().equals(instance.name())) {
                    break;
                }
            }
        }
        return SshTarget.parse(instance.handle(), null, 22, key);
    }
}
