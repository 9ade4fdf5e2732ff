package katapult.provider.slurm;

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
import katapult.config.SlurmSettings;
import katapult.plan.InstancePlan;
import katapult.provider.BatchScheduler;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.remote.RemoteCommands;
import katapult.remote.RemoteLayout;
import katapult.state.InstanceRecord;
import katapult.transport.ExecResult;
import katapult.transport.LocalShell;
import katapult.transport.Shell;
import katapult.transport.ShellQuote;
import katapult.transport.SshConnections;
import katapult.transport.SshSettings;
import katapult.transport.SshTarget;

/**
 * A Slurm cluster reached through its login node: each instance entry is one login node, reached over SSH as the ssh
 * provider reaches a host, or this machine when the entry names no host (or {@code localhost}). Katapult's folder
 * lives in the login user's home, which the cluster shares with its compute nodes; runs go to Slurm as job arrays
 * ({@link #batch()}), so nothing is created, stopped or removed here. The instance's cpus are the cluster's (or its
 * partition's), as {@code sinfo} counts them, unless the entry sets {@code cpus}.
 */
public final class SlurmProvider implements Provider {

    /** The handle of a login node that is this machine. */
    static final String LOCAL_HANDLE = "localhost";

    private final Config config;
    private final SshConnections connections;
    private final RemoteLayout layout;
    private final Path localHome;
    private final BatchScheduler scheduler = new SlurmScheduler();

    public SlurmProvider(Config config, Path projectStateDir) {
        this(config, SshSettings.defaults(projectStateDir.resolve("known_hosts")), Path.of(System.getProperty("user.home")));
    }

    /** @param localHome the home of a login node that is this machine (a test's own folder) */
    public SlurmProvider(Config config, SshSettings settings, Path localHome) {
        this.config = config;
        this.connections = new SshConnections(settings);
        this.layout = new RemoteLayout(config.project(), config.remoteRoots());
        this.localHome = localHome;
    }

    @Override
    public String kind() {
        return "slurm";
    }

    /** The cluster is one instance to Katapult: {@code explode} never splits it. */
    @Override
    public int machineCpus(InstanceSpec spec) {
        return spec.cpus() != null ? spec.cpus() : Integer.MAX_VALUE;
    }

    @Override
    public int defaultCpus(InstanceSpec spec) {
        return 1;
    }

    @Override
    public boolean cpusFromMachine(InstanceSpec spec) {
        return spec.cpus() == null;
    }

    @Override
    public Optional<BatchScheduler> batch() {
        return Optional.of(scheduler);
    }

    /** Reaches the login node, checks that it has Slurm's commands, and counts the cpus Slurm has there. */
    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        SlurmSettings slurm = plan.spec().slurm();
        String handle = handle(plan.spec());
        ExecResult answer;
        try (Shell shell = shell(handle, plan.spec())) {
            answer = shell.exec(probe(slurm.partition()) + "; " + RemoteCommands.readFile(
                    layout.on(plan.name()).script("version")), null, Duration.ofMinutes(1))
                    .orThrow("asking " + handle + " for Slurm's cpus");
        }
        String[] lines = answer.stdout().strip().split("\n");
        if (lines[0].strip().equals("no-sbatch")) {
            throw new IOException(handle + " has no sbatch on its PATH: is it the cluster's login node?");
        }
        int total = SinfoCpus.total(lines[0], handle);
        String installed = lines.length > 1 ? lines[1].strip() : null;
        int cpus = plan.spec().cpus() != null ? plan.cpus() : total;
        boolean same = known.map(k -> k.handle().equals(handle)).orElse(false);
        if (!same) {
            progress.accept("reached Slurm on " + handle + " (" + total + " cpus"
                    + (slurm.partition() == null ? "" : " in partition " + slurm.partition()) + ")");
        }
        int generation = known.map(k -> same ? k.generation() : k.generation() + 1).orElse(1);
        String agent = installed == null || installed.isEmpty() ? null : installed;
        List<String> envs = same && agent != null ? known.get().envKeys() : List.of();
        return new InstanceRecord(plan.name(), kind(), handle, cpus, InstanceStatus.RUNNING, generation, agent, envs);
    }

    /** A login node is up as far as Katapult knows: one that does not answer only makes its runs UNKNOWN for now. */
    @Override
    public Map<String, String> statuses(List<InstanceRecord> instances) {
        Map<String, String> statuses = new LinkedHashMap<>();
        instances.forEach(i -> statuses.put(i.name(), InstanceStatus.RUNNING));
        return statuses;
    }

    @Override
    public Shell shell(InstanceRecord instance) {
        return shell(instance.handle(), specOf(instance));
    }

    /** The runs' jobs are cancelled by the session (the agent's stop); the login node is not Katapult's to stop. */
    @Override
    public void stop(InstanceRecord instance) {
    }

    @Override
    public void remove(InstanceRecord instance) {
    }

    @Override
    public void close() {
        connections.close();
    }

    /** {@code no-sbatch}, or sinfo's {@code allocated/idle/other/total} cpus of the partition (or every one). */
    static String probe(String partition) {
        return "if ! command -v sbatch >/dev/null 2>&1; then echo no-sbatch; else sinfo -h -o %C"
                + (partition == null ? "" : " -p " + ShellQuote.quote(partition)) + " | head -n 1; fi";
    }

    private Shell shell(String handle, InstanceSpec spec) {
        if (handle.equals(LOCAL_HANDLE)) {
            // the uploads and fetches of an absolute workdir are on this machine too
            List<Path> workdirs = config.remoteRoots().values().stream().filter(r -> r.startsWith("/"))
                    .map(Path::of).toList();
            return new LocalShell(localHome, LOCAL_HANDLE, workdirs);
        }
        String key = spec == null ? null : spec.ssh().key();
        return connections.shell(SshTarget.parse(handle, null, 22, key == null ? null : Path.of(key)));
    }

    private static String handle(InstanceSpec spec) {
        SlurmSettings slurm = spec.slurm();
        if (slurm.local()) {
            return LOCAL_HANDLE;
        }
        return new SshTarget(slurm.login().user(), slurm.login().host(),
                slurm.login().port() == null ? 22 : slurm.login().port(), null).handle();
    }

    private InstanceSpec specOf(InstanceRecord instance) {
        return config.instances().stream().filter(s -> s.name().equals(instance.name())).findFirst().orElse(null);
    }
}
