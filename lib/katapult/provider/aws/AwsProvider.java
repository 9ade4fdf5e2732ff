package katapult.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import katapult.config.Config;
import katapult.config.InstanceSpec;
import katapult.plan.InstancePlan;
import katapult.provider.InstanceStatus;
import katapult.provider.Provider;
import katapult.provider.ProviderException;
import katapult.state.InstanceRecord;
import katapult.transport.Shell;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CpuOptionsRequest;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotMarketOptions;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * EC2 instances through AWS SDK v2. Everything it makes is tagged {@code katapult:project} and {@code katapult:key}:
 * one security group per project and VPC (SSH from {@code ssh_cidr} only), one imported key pair (the private key
 * never leaves this machine), the instances and their volumes. Launches are idempotent (tags looked up first, a
 * ClientToken derived from project, instance, generation and subnet, written down before the request), capacity
 * errors move on to the next subnet, instances just launched may stay invisible for a while, and statuses are read
 * for all instances in one DescribeInstances.
 */
public final class AwsProvider implements Provider {

    static final String KIND = "aws";
    public static final String TAG_PROJECT = AwsTags.PROJECT;
    public static final String TAG_KEY = AwsTags.KEY;
    public static final String TAG_GENERATION = AwsTags.GENERATION;
    static final Set<String> CAPACITY_ERRORS = Set.of("InsufficientInstanceCapacity", "InsufficientHostCapacity",
            "InsufficientCapacity", "InsufficientFreeAddressesInSubnet", "Unsupported");
    /** Errors no other subnet or a retry will cure. */
    static final Set<String> LIMIT_ERRORS = Set.of("InstanceLimitExceeded", "VcpuLimitExceeded",
            "MaxSpotInstanceCountExceeded", "SpotMaxPriceTooLow", "InsufficientReservedInstanceCapacity");
    /** Rounds over every subnet before a launch is given up. */
    static final int LAUNCH_ROUNDS = 2;

    private final Config config;
    private final String project;
    private final Path stateDir;
    private final AwsTiming timing;
    private final SshConnector ssh;
    private final AwsLedger ledger;
    private final AwsKeys keys;
    private final AwsRegions regions;
    private final AwsSizes sizes;
    private final AwsConsole console;
    private final AwsNetwork network;
    private final AwsKeyPairs keyPairs;
    private final AwsPrices prices;
    private final AwsInstances instances;

    /**
     * @param credentials   null: the config's profile or the SDK's default chain
     * @param publicAddress this machine's public IPv4 address, asked only when an entry has no {@code ssh_cidr}
     */
    public AwsProvider(Config config, Path projectStateDir, AwsTiming timing, AwsCredentialsProvider credentials,
                       SshConnector ssh, Supplier<String> publicAddress) {
        this.config = config;
        this.project = config.project();
        this.stateDir = projectStateDir.toAbsolutePath();
        this.timing = timing;
        this.ssh = ssh;
        this.ledger = new AwsLedger(this.stateDir);
        this.keys = AwsKeys.of(AwsKeys.home(), project);
        this.regions = new AwsRegions(config, timing,
                credentials != null ? credentials : AwsClients.credentials(config.profile()));
        this.sizes = new AwsSizes(regions);
        this.console = new AwsConsole(ledger);
        this.instances = new AwsInstances(project, timing, ledger, regions);
        this.network = new AwsNetwork(config, regions, publicAddress);
        this.keyPairs = new AwsKeyPairs(project, keys);
        this.prices = new AwsPrices(regions, sizes, instances, ledger);
    }

    /** The provider as the CLI makes it: credentials from the profile or the default chain, real SSH. */
    public static AwsProvider create(Config config, Path projectStateDir) {
        return create(config, projectStateDir, new SshjConnector());
    }

    /** {@link #create(Config, Path)} reaching its instances through {@code ssh} (tests pass their own hosts). */
    public static AwsProvider create(Config config, Path projectStateDir, SshConnector ssh) {
        return new AwsProvider(config, projectStateDir, AwsTiming.fromSystemProperties(), null, ssh,
                PublicAddress::lookup);
    }

    @Override
    public String kind() {
        return KIND;
    }

    public AwsKeys keys() {
        return keys;
    }

    // ------------------------------------------------------------------------------------------------ clients

    AwsClients clients(InstanceSpec spec) {
        return regions.clients(spec);
    }

    private AwsClients clients(InstanceRecord record) {
        return regions.clients(record);
    }

    /** Fails early, with a message to act on, when there are no credentials or no region. */
    public void checkAccess() {
        regions.checkAccess();
    }

    // ------------------------------------------------------------------------------------------------ sizes

    @Override
    public int machineCpus(InstanceSpec spec) {
        return sizes.machineCpus(spec);
    }

    @Override
    public int defaultCpus(InstanceSpec spec) {
        return machineCpus(spec);
    }

    // ------------------------------------------------------------------------------------------------ ensure

    @Override
    public InstanceRecord ensure(InstancePlan plan, Optional<InstanceRecord> known, Consumer<String> progress)
            throws IOException {
        InstanceSpec spec = plan.spec();
        AwsClients c = clients(spec);
        sizes.checkGpu(spec);
        try {
            network.securityGroup(c, network.vpc(c, spec));   // keeps the SSH rules in step with the config, also for instances kept
            Instance current = null;
            if (known.isPresent() && known.get().handle() != null && known.get().provider().equals(kind())) {
                current = instances.waitVisible(c, AwsRegions.idOf(known.get()), plan.name());
            }
            if (current == null || AwsInstances.gone(current)) {
                current = instances.findByTag(c, plan.name()).orElse(null);
            }
            if (current != null && !AwsInstances.gone(current)) {
                boolean same = known.isPresent() && AwsRegions.idOf(known.get()).equals(current.instanceId());
                current = instances.revive(c, current, progress);
                int generation = AwsTags.generationOf(current, known.map(InstanceRecord::generation).orElse(1));
                return record(plan, c, current, generation, same ? known.get() : null);
            }
            int generation = known.map(k -> k.generation() + 1).orElseGet(() -> {
                AwsLedger.Launch launch = ledger.launch(plan.name());
                return launch == null ? 1 : launch.generation;
            });
            if (known.isPresent()) {
                progress.accept("instance " + AwsRegions.idOf(known.get()) + " is gone: replacing it (generation " + generation
                        + ")");
            }
            Instance launched = launch(plan, c, generation, progress);
            return record(plan, c, launched, AwsTags.generationOf(launched, generation), null);
        } catch (Ec2Exception e) {
            throw new IOException(plan.name() + ": " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException(plan.name() + ": cannot reach EC2 in " + c.region + ": " + e.getMessage(), e);
        }
    }

    private InstanceRecord record(InstancePlan plan, AwsClients c, Instance instance, int generation,
                                  InstanceRecord same) {
        console.readFingerprints(c, instance.instanceId());
        return new InstanceRecord(plan.name(), kind(), c.region + "/" + instance.instanceId(), plan.cpus(),
                InstanceStatus.RUNNING, generation, same == null ? null : same.agentVersion(),
                same == null ? List.of() : same.envKeys());
    }

    private Instance launch(InstancePlan plan, AwsClients c, int generation, Consumer<String> progress)
            throws IOException {
        InstanceSpec spec = plan.spec();
        InstanceTypeInfo type = sizes.type(spec);
        Image image = AwsImages.image(c, spec, type);
        String vpc = network.vpc(c, spec);
        String group = network.securityGroup(c, vpc);
        String keyName = keyPairs.keyPair(c);
        List<Subnet> subnets = network.subnets(c, vpc);
        AwsLedger.Launch previous = ledger.launch(plan.name());
        int start = previous != null && previous.generation == generation ? previous.subnetIndex : 0;
        Double price = spec.eco() ? prices.spotPrice(c, spec.type()).orElse(null) : null;
        List<String> full = new ArrayList<>();
        for (int k = 0; k < subnets.size() * LAUNCH_ROUNDS; k++) {
            if (k > 0 && k % subnets.size() == 0) {
                progress.accept("no capacity in any subnet: trying again (round " + (k / subnets.size() + 1)
                        + " of " + LAUNCH_ROUNDS + ")");
                AwsCalls.sleep(timing.poll().multipliedBy(10));
            }
            int index = (start + k) % subnets.size();
            Subnet subnet = subnets.get(index);
            ledger.update(d -> {
                AwsLedger.Launch launch = new AwsLedger.Launch();
                launch.generation = generation;
                launch.subnetIndex = index;
                launch.requestedAt = System.currentTimeMillis();
                launch.hourlyPrice = price;
                d.launches.put(plan.name(), launch);
            });
            String token = clientToken(plan.name(), generation, subnet.subnetId());
            progress.accept("launching " + spec.type() + (spec.eco() ? " (spot)" : "") + " from " + image.imageId()
                    + " in " + subnet.availabilityZone());
            try {
                Instance instance = runInstances(c, plan, generation, type, image, group, keyName, subnet, token);
                if (AwsInstances.gone(instance)) {
                    // the token named an instance of an earlier life (state lost): make a new generation
                    return launch(plan, c, generation + 1, progress);
                }
                ledger.update(d -> d.launches.get(plan.name()).instanceId = instance.instanceId());
                progress.accept("launched " + instance.instanceId() + "; waiting for it to run");
                return instances.await(c, instance.instanceId(), InstanceStateName.RUNNING);
            } catch (Ec2Exception e) {
                String code = AwsCalls.code(e);
                if (LIMIT_ERRORS.contains(code)) {
                    throw new katapult.provider.LaunchException(AwsCalls.message(e));
                }
                if (!CAPACITY_ERRORS.contains(code)) {
                    throw e;
                }
                String zone = subnet.availabilityZone() + " (" + subnet.subnetId() + ")";
                if (!full.contains(zone)) {
                    full.add(zone);
                }
                progress.accept("no " + spec.type() + " capacity in " + subnet.availabilityZone() + " (" + code
                        + "): trying the next subnet");
            }
        }
        throw new katapult.provider.LaunchException("no capacity for " + spec.type() + (spec.eco() ? " spot" : "") + " in " + c.region
                + ", tried " + String.join(", ", full) + ": try later, another type or another region");
    }

    private Instance runInstances(AwsClients c, InstancePlan plan, int generation, InstanceTypeInfo type, Image image,
                                  String group, String keyName, Subnet subnet, String token) throws IOException {
        InstanceSpec spec = plan.spec();
        List<Tag> tags = List.of(AwsTags.tag(TAG_PROJECT, project), AwsTags.tag(TAG_KEY, plan.name()),
                AwsTags.tag(TAG_GENERATION, String.valueOf(generation)), AwsTags.tag("Name", project + "-" + plan.name()));
        var request = software.amazon.awssdk.services.ec2.model.RunInstancesRequest.builder()
                .imageId(image.imageId())
                .instanceType(spec.type())
                .minCount(1).maxCount(1)
                .keyName(keyName)
                .clientToken(token)
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0)
                        .subnetId(subnet.subnetId()).groups(group).associatePublicIpAddress(true)
                        .deleteOnTermination(true).build())
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
        if (spec.diskSize() != null || spec.diskType() != null) {
            request.blockDeviceMappings(BlockDeviceMapping.builder().deviceName(image.rootDeviceName())
                    .ebs(EbsBlockDevice.builder().volumeSize(spec.diskSize()).volumeType(spec.diskType())
                            .deleteOnTermination(true).build()).build());
        }
        CpuOptionsRequest cpuOptions = AwsSizes.cpuOptions(spec, plan.cpus(), type);
        if (cpuOptions != null) {
            request.cpuOptions(cpuOptions);
        }
        if (spec.eco()) {
            var spot = SpotMarketOptions.builder().spotInstanceType(SpotInstanceType.ONE_TIME)
                    .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE);
            if (spec.maxBid() != null) {
                spot.maxPrice(String.format(java.util.Locale.ROOT, "%.4f", spec.maxBid()));
            }
            request.instanceMarketOptions(InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT)
                    .spotOptions(spot.build()).build());
        }
        String userData = userData(spec);
        if (userData != null) {
            request.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        if (spec.ecoLife() != null) {
            request.instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE);
        }
        var built = request.build();
        Duration backoff = timing.retryBase();
        for (int attempt = 1; ; attempt++) {
            try {
                return c.launcher.runInstances(built).instances().get(0);
            } catch (Ec2Exception e) {
                // the ClientToken makes repeating a throttled launch safe
                if (!"RequestLimitExceeded".equals(AwsCalls.code(e)) || attempt >= timing.attempts()) {
                    throw e;
                }
                AwsCalls.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(timing.retryMax()) > 0 ? timing.retryMax()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** The boot script: SSH on {@code ssh_port}, and a shutdown timer for {@code eco_life}; null when none needed. */
    static String userData(InstanceSpec spec) {
        StringBuilder script = new StringBuilder();
        int port = spec.sshPort() == null ? 22 : spec.sshPort();
        if (port != 22) {
            script.append("mkdir -p /etc/ssh/sshd_config.d /etc/systemd/system/ssh.socket.d\n")
                    .append("printf 'Port ").append(port).append("\\n' > /etc/ssh/sshd_config.d/katapult-port.conf\n")
                    .append("printf '[Socket]\\nListenStream=\\nListenStream=").append(port)
                    .append("\\n' > /etc/systemd/system/ssh.socket.d/katapult-port.conf\n")
                    .append("systemctl daemon-reload || true\n")
                    .append("systemctl restart ssh.socket 2>/dev/null || true\n")
                    .append("systemctl restart ssh 2>/dev/null || systemctl restart sshd 2>/dev/null || true\n");
        }
        if (spec.ecoLife() != null) {
            long minutes = Math.max(1, (spec.ecoLife().toSeconds() + 59) / 60);
            script.append("shutdown -h +").append(minutes).append(" 'katapult: eco_life reached'\n");
        }
        return script.length() == 0 ? null : "#!/bin/bash\n" + script;
    }

    String clientToken(String instance, int generation, String subnet) {
        String epoch = ledger.get().epoch;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((epoch + "\n" + project + "\n" + instance
                    + "\n" + generation + "\n" + subnet).getBytes(StandardCharsets.UTF_8));
            return "katapult-" + HexFormat.of().formatHex(digest).substring(0, 48);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ lookups

    @Override
    public Map<String, String> statuses(List<InstanceRecord> records) throws IOException {
        return instances.statuses(records);
    }

    // ------------------------------------------------------------------------------------------------ shell

    @Override
    public Shell shell(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        Instance instance;
        try {
            instance = instances.describe(c, id);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot look up " + id + ": " + e.getMessage(), e);
        }
        if (instance == null || instance.state().name() != InstanceStateName.RUNNING || AwsInstances.address(instance) == null) {
            throw new IOException("instance " + record.name() + " (" + id + ") is "
                    + (instance == null ? "not found" : instance.state().name().toString()));
        }
        InstanceSpec spec = specOf(record.name());
        List<String> fingerprints = console.fingerprints(c, id);
        return ssh.connect(AwsInstances.address(instance), spec.sshPort() == null ? 22 : spec.sshPort(),
                spec.imgUsername() == null ? "ubuntu" : spec.imgUsername(), keys.privateKey(), fingerprints,
                stateDir.resolve("known_hosts"));
    }

    private InstanceSpec specOf(String instanceName) {
        return config.instances().stream()
                .filter(s -> instanceName.equals(s.name()) || instanceName.startsWith(s.name() + "-"))
                .max(Comparator.comparingInt(s -> s.name().length()))
                .orElse(config.instances().get(0));
    }

    // ------------------------------------------------------------------------------------------------ stop, remove

    @Override
    public void stop(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        try {
            Instance instance = instances.describe(c, id);
            if (instance == null || AwsInstances.gone(instance)) {
                return;
            }
            if (instance.instanceLifecycleAsString() != null && instance.instanceLifecycleAsString().equals("spot")) {
                // a one-time spot instance cannot be stopped: its runs are fetched, so it goes
                remove(record);
                return;
            }
            c.ec2.stopInstances(r -> r.instanceIds(id));
            instances.await(c, id, InstanceStateName.STOPPED);
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot stop " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(InstanceRecord record) throws IOException {
        AwsClients c = clients(record);
        String id = AwsRegions.idOf(record);
        try {
            instances.terminate(c, List.of(id));
        } catch (Ec2Exception | SdkClientException e) {
            throw new IOException("cannot terminate " + id + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ down

    /**
     * Removes everything tagged with the project: instances (waiting until they are gone), volumes left behind,
     * the security group, this machine's key pair, VPCs and IAM roles/instance profiles Katapult made. Returns what
     * was (with {@code dryRun}: would be) deleted, and, after a real run, what is still tagged.
     */
    @Override
    public CleanUp cleanUp(boolean dryRun, Consumer<String> progress) throws IOException {
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> left = new ArrayList<>();
        Set<String> keptIds = new LinkedHashSet<>();
        String ourKey = keys.exists() ? keys.keyPairName(project) : null;
        try {
            for (AwsClients c : regions.all()) {
                List<String> ids = instances.instances(c, List.of(AwsTags.projectFilter(project), Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped").build()))
                        .stream().map(Instance::instanceId).toList();
                ids.forEach(id -> deleted.add("instance " + id + " (" + c.region + ")"));
                if (!dryRun && !ids.isEmpty()) {
                    progress.accept("terminating " + ids.size() + " instance(s) in " + c.region);
                    instances.terminate(c, ids);
                }
                for (Volume volume : c.ec2.describeVolumes(r -> r.filters(AwsTags.projectFilter(project))).volumes()) {
                    deleted.add("volume " + volume.volumeId() + " (" + c.region + ")");
                    if (!dryRun) {
                        deleteVolume(c, volume);
                    }
                }
                for (SecurityGroup group : c.ec2.describeSecurityGroups(r -> r.filters(AwsTags.projectFilter(project)))
                        .securityGroups()) {
                    deleted.add("security group " + group.groupId() + " " + group.groupName() + " (" + c.region + ")");
                    if (!dryRun) {
                        retryDependency(() -> c.ec2.deleteSecurityGroup(r -> r.groupId(group.groupId())));
                    }
                }
                for (KeyPairInfo pair : c.ec2.describeKeyPairs(r -> r.filters(AwsTags.projectFilter(project))).keyPairs()) {
                    if (!pair.keyName().equals(ourKey)) {
                        kept.add("key pair " + pair.keyName() + " (" + c.region + "): made on another machine");
                        keptIds.add(pair.keyPairId());
                        continue;
                    }
                    deleted.add("key pair " + pair.keyName() + " (" + c.region + ")");
                    if (!dryRun) {
                        c.ec2.deleteKeyPair(r -> r.keyName(pair.keyName()));
                    }
                }
                for (Vpc vpc : c.ec2.describeVpcs(r -> r.filters(AwsTags.projectFilter(project))).vpcs()) {
                    deleted.add("vpc " + vpc.vpcId() + " (" + c.region + ")");
                    if (!dryRun) {
                        retryDependency(() -> c.ec2.deleteVpc(r -> r.vpcId(vpc.vpcId())));
                    }
                }
                iam(c, dryRun, deleted);
                if (!dryRun) {
                    left.addAll(leftovers(c, keptIds));
                }
            }
        } catch (Ec2Exception | software.amazon.awssdk.services.iam.model.IamException e) {
            throw new IOException("down: " + AwsCalls.message(e), e);
        } catch (SdkClientException e) {
            throw new IOException("down: cannot reach AWS: " + e.getMessage(), e);
        }
        if (!dryRun) {
            keyPairs.forget();
            network.forgetSecurityGroups();
            ledger.update(d -> {
                d.epoch = java.util.UUID.randomUUID().toString();
                d.launches.clear();
                d.fingerprints.clear();
            });
        }
        return new CleanUp(deleted, kept, left);
    }

    private void deleteVolume(AwsClients c, Volume volume) {
        retryDependency(() -> {
            try {
                c.ec2.deleteVolume(r -> r.volumeId(volume.volumeId()));
            } catch (Ec2Exception e) {
                if (!"InvalidVolume.NotFound".equals(AwsCalls.code(e))) {
                    throw e;
                }
            }
        });
    }

    /** IAM roles and instance profiles under the path {@code /katapult/<project>/}. */
    private void iam(AwsClients c, boolean dryRun, List<String> deleted) {
        String path = "/katapult/" + project + "/";
        for (InstanceProfile profile : c.iam.listInstanceProfiles(r -> r.pathPrefix(path)).instanceProfiles()) {
            deleted.add("instance profile " + profile.instanceProfileName());
            if (!dryRun) {
                for (Role role : profile.roles()) {
                    c.iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(profile.instanceProfileName())
                            .roleName(role.roleName()));
                }
                c.iam.deleteInstanceProfile(r -> r.instanceProfileName(profile.instanceProfileName()));
            }
        }
        for (Role role : c.iam.listRoles(r -> r.pathPrefix(path)).roles()) {
            deleted.add("role " + role.roleName());
            if (!dryRun) {
                for (var policy : c.iam.listAttachedRolePolicies(r -> r.roleName(role.roleName())).attachedPolicies()) {
                    c.iam.detachRolePolicy(r -> r.roleName(role.roleName()).policyArn(policy.policyArn()));
                }
                for (String policy : c.iam.listRolePolicies(r -> r.roleName(role.roleName())).policyNames()) {
                    c.iam.deleteRolePolicy(r -> r.roleName(role.roleName()).policyName(policy));
                }
                c.iam.deleteRole(r -> r.roleName(role.roleName()));
            }
        }
    }

    /** Whatever still carries the project's tag (terminated instances and kept key pairs aside). */
    private List<String> leftovers(AwsClients c, Set<String> keptIds) {
        List<String> left = new ArrayList<>();
        List<TagDescription> tagged = c.ec2.describeTags(r -> r.filters(
                Filter.builder().name("key").values(TAG_PROJECT).build(),
                Filter.builder().name("value").values(project).build())).tags();
        for (TagDescription tag : tagged) {
            String id = tag.resourceId();
            if (tag.resourceTypeAsString().equals("instance")) {
                Instance instance = instances.describe(c, id);
                if (instance == null || AwsInstances.gone(instance)) {
                    continue;
                }
            }
            if (keptIds.contains(id)) {
                continue;
            }
            left.add(tag.resourceTypeAsString() + " " + id + " (" + c.region + ")");
        }
        String path = "/katapult/" + project + "/";
        c.iam.listRoles(r -> r.pathPrefix(path)).roles().forEach(r -> left.add("role " + r.roleName()));
        c.iam.listInstanceProfiles(r -> r.pathPrefix(path)).instanceProfiles()
                .forEach(p -> left.add("instance profile " + p.instanceProfileName()));
        return left;
    }

    /** Security groups, volumes and VPCs stay "in use" for a while after their instances are gone. */
    private void retryDependency(Runnable call) {
        Instant deadline = Instant.now().plus(timing.waitLimit());
        while (true) {
            try {
                call.run();
                return;
            } catch (Ec2Exception e) {
                if (!Set.of("DependencyViolation", "VolumeInUse").contains(AwsCalls.code(e)) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                AwsCalls.sleep(timing.poll());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ prices

    /**
     * The hourly price of each planned instance: spot from DescribeSpotPriceHistory; on-demand prices need the AWS
     * Price List API, which this build does not call, so they are unknown (null).
     */
    public List<Quote> quote(List<InstancePlan> plans) {
        return prices.quote(plans);
    }

    /** One line of {@code katapult plan}. */
    public record Quote(String instance, String region, String type, int cpus, boolean spot, Double hourly,
                        String note) {
    }

    @Override
    public String costSoFar(List<InstanceRecord> records) {
        return prices.costSoFar(records);
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    @Override
    public void close() {
        if (ssh instanceof SshjConnector own) {
            own.close();
        }
        regions.close();
    }
}
