package katapult.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import katapult.config.ConfigKeys.Block;

/**
 * Binds the instance entries: names (unique, defaulting to {@code <provider>-<n>}), the keys of the provider in
 * force with their defaults, the ssh provider's {@code hosts} (one instance each), and the {@code max_instances} limit.
 */
final class InstanceBinder {

    private final Binding in;

    InstanceBinder(Binding in) {
        this.in = in;
    }

    /**
     * @param lifecycle the global idle stop and dead-man rule, which an entry may override
     * @return the entry each instance comes from, in the order of {@code instances} (null for the in.base's)
     */
    List<RawMap> bindInstances(RawMap root, Config.ProviderKind provider, Lifecycle lifecycle,
                               List<InstanceSpec> instances) {
        Map<String, Integer> seen = new HashMap<>();
        List<RawMap> entries = new ArrayList<>();
        for (InstanceSpec existing : instances) {
            seen.put(existing.name(), 0);
            entries.add(null);
        }
        int index = instances.size();
        for (RawMap m : in.items(root, GlobalKeys.INSTANCES)) {
            index++;
            in.checkKeys(m, Block.INSTANCE);
            InstanceSpec spec = bindInstance(m, index, provider, lifecycle);
            int nameLine = in.given(m, "name") ? in.line(m, "name") : m.line();
            for (InstanceSpec one : sshHosts(m, spec, provider)) {
                Integer first = seen.putIfAbsent(one.name(), nameLine);
                if (first != null) {
                    in.problem(nameLine, "two instances are named '" + one.name() + "'" + in.where(first)
                            + "; instance names must be unique");
                }
                instances.add(one);
                entries.add(m);
            }
        }
        return entries;
    }

    /**
     * More instances than {@code max_instances} is refused at the entry that goes past it. Local machines have this
     * machine's cores, so what explode makes of them is known here; an aws type's size only EC2 tells, so the
     * planner counts aws entries again once it knows.
     */
    void checkInstanceCount(List<InstanceSpec> instances, List<RawMap> entries, int limit) {
        InstanceCount.over(instances, spec -> spec.cpus() == null ? 1 : spec.cpus(), in::knownMachineCpus, limit, in.form)
                .ifPresent(over -> {
                    RawMap m = entries.get(over.index());
                    int line = m == null ? 0 : over.split() && in.given(m, "cpus") ? in.line(m, "cpus")
                            : in.given(m, "number") ? in.line(m, "number") : m.line();
                    in.problem(line, over.message());
                });
    }


    /**
     * The ssh provider: {@code hosts} gives one instance per host ({@code <name>-<n>}, each {@code [user@]host[:port]}
     * with this entry's user, port, key and cpus as defaults); {@code number} other than 1 is an error, {@code explode}
     * is ignored (one host is one machine, never split).
     */
    private List<InstanceSpec> sshHosts(RawMap m, InstanceSpec spec, Config.ProviderKind provider) {
        if (provider != Config.ProviderKind.SSH) {
            return List.of(spec);
        }
        if (!in.given(m, "hosts")) {
            spec = spec.withExplode(false);
        }
        // explode is ignored: one host is one machine, never split
        if (in.given(m, "number") && spec.number() != 1) {
            in.problem(in.line(m, "number"), "'" + in.spell(InstanceKeys.NUMBER) + "' does not apply to the ssh provider (one entry is"
                    + " one host; list several with '" + in.spell(InstanceKeys.HOSTS) + "')");
        }
        if (!in.given(m, "hosts")) {
            return List.of(spec);
        }
        List<String> hosts = in.words(m, InstanceKeys.HOSTS);
        if (in.given(m, "host")) {
            in.problem(in.line(m, "hosts"), "give '" + in.spell(InstanceKeys.HOST) + "' or '" + in.spell(InstanceKeys.HOSTS) + "', not both");
        }
        if (hosts.isEmpty()) {
            in.problem(in.line(m, "hosts"), "'" + in.spell(InstanceKeys.HOSTS) + "' lists no host");
            return List.of();
        }
        List<InstanceSpec> out = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (int n = 0; n < hosts.size(); n++) {
            String entry = hosts.get(n);
            Matcher h = HOST_ENTRY.matcher(entry);
            if (!h.matches() || (h.group(3) != null && (Integer.parseInt(h.group(3)) < 1
                    || Integer.parseInt(h.group(3)) > 65_535))) {
                in.problem(in.line(m, "hosts"), "'" + in.spell(InstanceKeys.HOSTS) + "': '" + entry + "' is not [user@]host[:port]");
                continue;
            }
            if (!distinct.add(entry)) {
                in.problem(in.line(m, "hosts"), "'" + in.spell(InstanceKeys.HOSTS) + "' lists '" + entry + "' twice");
            }
            String host = h.group(2).startsWith("[") ? h.group(2).substring(1, h.group(2).length() - 1) : h.group(2);
            SshHostSettings ssh = spec.ssh();
            out.add(spec.withName(hosts.size() == 1 ? spec.name() : spec.name() + "-" + (n + 1)).withNumber(1)
                    .withExplode(false).withSettings(ssh.withHost(host, h.group(1) != null ? h.group(1) : ssh.user(),
                            h.group(3) != null ? Integer.valueOf(h.group(3)) : ssh.port())));
        }
        return out;
    }

    private static final Pattern HOST_ENTRY =
            Pattern.compile("(?:([A-Za-z0-9._-]+)@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    private InstanceSpec bindInstance(RawMap m, int index, Config.ProviderKind provider, Lifecycle lifecycle) {
        String name = in.name(m, InstanceKeys.NAME);
        if (name == null) {
            name = Readers.lower(provider) + "-" + index;
        }
        Integer cpus = in.read(m, InstanceKeys.CPUS);
        if (cpus == null && provider == Config.ProviderKind.LOCAL && !in.given(m, "cpus")) {
            cpus = Runtime.getRuntime().availableProcessors();
        }
        String imgUsername = in.read(m, InstanceKeys.IMG_USERNAME);
        if (imgUsername == null && provider == Config.ProviderKind.AWS) {
            imgUsername = "ubuntu";
        }
        Integer port = in.read(m, InstanceKeys.PORT);
        if (port == null && (provider == Config.ProviderKind.SSH || provider == Config.ProviderKind.SLURM)) {
            port = 22;
        }
        Integer sshPort = in.read(m, InstanceKeys.SSH_PORT);
        if (sshPort == null && provider == Config.ProviderKind.AWS) {
            sshPort = 22;
        }
        String host = in.read(m, InstanceKeys.HOST);
        if (provider == Config.ProviderKind.SSH && host == null && !in.given(m, "host") && !in.given(m, "hosts")) {
            in.problem(m.line(), "instance '" + name + "' needs '" + in.spell(InstanceKeys.HOST) + "' (the machine to reach) "
                    + "with the ssh provider");
        }
        String type = in.read(m, InstanceKeys.TYPE);
        if (provider == Config.ProviderKind.AWS && type == null && !in.given(m, "type")) {
            in.problem(m.line(), "instance '" + name + "' needs '" + in.spell(InstanceKeys.TYPE) + "' (an instance type such as "
                    + "'t3.large') with the aws provider");
        }
        String key = in.read(m, InstanceKeys.KEY);
        if (key != null) {
            Path keyPath = in.path(key, in.line(m, "key"), "key");
            if (keyPath != null) {
                if ((provider == Config.ProviderKind.SSH || provider == Config.ProviderKind.SLURM)
                        && !Files.isRegularFile(keyPath)) {
                    in.problem(in.line(m, "key"), "'" + in.spell(InstanceKeys.KEY) + "': no such file '" + key + "' (" + keyPath + ")");
                }
                key = keyPath.toString();
            }
        }
        String sshCidr = in.read(m, InstanceKeys.SSH_CIDR);
        if (sshCidr != null && !sshCidr.matches("[0-9A-Fa-f.:]+/\\d{1,3}")) {
            in.problem(in.line(m, "ssh_cidr"), "'" + in.spell(InstanceKeys.SSH_CIDR) + "' must be a CIDR block such as '203.0.113.7/32', got "
                    + Readers.show(m.get("ssh_cidr").value()));
        }
        if (sshCidr != null && sshCidr.matches("[0-9A-Fa-f.:]+/0") && !in.sshOpen) {
            in.problem(in.line(m, "ssh_cidr"), "'" + in.spell(InstanceKeys.SSH_CIDR) + "' " + sshCidr + " lets every address on the"
                    + " internet try to log in to your instances: name the addresses you connect from (e.g. your own"
                    + " /32), or say '" + in.spell(GlobalKeys.SSH_OPEN) + " true' if this is really meant");
        }
        Double maxBid = in.read(m, InstanceKeys.MAX_BID);
        Integer number = in.read(m, InstanceKeys.NUMBER);
        Boolean explode = in.read(m, InstanceKeys.EXPLODE);
        Boolean eco = in.read(m, InstanceKeys.ECO);
        Integer spotFallback = in.read(m, InstanceKeys.SPOT_FALLBACK);
        if (spotFallback != null && (eco == null || !eco)) {
            in.problem(in.line(m, "spot_fallback"), "'" + in.spell(InstanceKeys.SPOT_FALLBACK) + "' falls back from spot"
                    + " instances to on-demand ones: it needs '" + in.spell(InstanceKeys.ECO) + " true' in this entry");
        }
        // read in this order so that problems on one line keep their order
        String region = in.read(m, InstanceKeys.REGION);
        String cloudId = in.read(m, InstanceKeys.CLOUD_ID);
        String imgId = in.read(m, InstanceKeys.IMG_ID);
        String gpu = in.read(m, InstanceKeys.GPU);
        Integer diskSize = in.read(m, InstanceKeys.DISK_SIZE);
        String diskType = in.read(m, InstanceKeys.DISK_TYPE);
        Duration ecoLife = in.read(m, InstanceKeys.ECO_LIFE);
        String user = in.read(m, InstanceKeys.USER);
        String endpoint = in.read(m, InstanceKeys.ENDPOINT);
        Lifecycle own = lifecycle.override(in.read(m, InstanceKeys.IDLE_STOP), in.read(m, InstanceKeys.HEARTBEAT_TIMEOUT),
                in.read(m, InstanceKeys.ABANDON_AFTER));
        InstanceSettings settings = switch (provider) {
            case AWS -> new AwsSettings(region, cloudId, imgId, imgUsername, type, gpu, diskSize, diskType,
                    eco != null && eco, ecoLife, maxBid, endpoint, sshPort, sshCidr, own, spotFallback);
            case SSH -> new SshHostSettings(host, user, port, key);
            case SLURM -> slurm(m, new SshHostSettings(host, user, port, key), gpu);
            case LOCAL -> new LocalSettings();
        };
        return new InstanceSpec(name, cpus, number == null ? 1 : number, explode == null || explode, settings);
    }

    /** The slurm keys of an entry: its login node and what its job arrays ask the scheduler for. */
    private SlurmSettings slurm(RawMap m, SshHostSettings login, String gpu) {
        String mem = in.read(m, InstanceKeys.MEM);
        String memPerCpu = in.read(m, InstanceKeys.MEM_PER_CPU);
        if (mem != null && memPerCpu != null) {
            in.problem(in.line(m, "mem_per_cpu"), "'" + in.spell(InstanceKeys.MEM) + "' and '"
                    + in.spell(InstanceKeys.MEM_PER_CPU) + "' exclude each other (sbatch takes one): keep one");
        }
        List<String> options = in.read(m, InstanceKeys.SBATCH_OPTIONS);
        for (String option : options == null ? List.<String>of() : options) {
            if (!option.startsWith("-")) {
                in.problem(in.line(m, "sbatch_options"), "'" + in.spell(InstanceKeys.SBATCH_OPTIONS) + "' holds sbatch"
                        + " options, each starting with '-' (such as '--constraint=skylake'), got '" + option + "'");
            }
        }
        return new SlurmSettings(login, in.read(m, InstanceKeys.PARTITION), in.read(m, InstanceKeys.ACCOUNT),
                in.read(m, InstanceKeys.QOS), in.read(m, InstanceKeys.TIME_LIMIT), mem, memPerCpu, gpu,
                in.read(m, InstanceKeys.MAX_PARALLEL), options, workdir(m));
    }

    /** The workdir as the remote layout takes it: relative to the home ({@code ~/} dropped) or absolute. */
    private String workdir(RawMap m) {
        String written = in.read(m, InstanceKeys.WORKDIR);
        if (written == null) {
            return null;
        }
        String path = written.startsWith("~/") ? written.substring(2) : written;
        boolean placed = written.startsWith("/") || written.startsWith("~/");
        boolean clean = !path.isBlank() && Arrays.stream(path.split("/+"))
                .noneMatch(part -> part.equals("..") || part.equals("."));
        if (!placed || !clean || path.matches("/*")) {
            in.problem(in.line(m, "workdir"), "'" + in.spell(InstanceKeys.WORKDIR) + "' must be an absolute path or"
                    + " '~/' and a path, without '.' or '..' (the compute nodes must find it), got '" + written + "'");
            return null;
        }
        return path.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }
}
